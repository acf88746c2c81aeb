export interface IonEntry {
  /** Ordinal among the analysed ions. */
  ordinal: number;
  /** 0-based atom index. */
  atom: number;
  /** Shell label at the current frame ('' when unknown). */
  label: string;
  /** Fraction of frames this ion spends with the filter label (NaN without filter). */
  share: number;
}

export interface IonPickerProps {
  ions: IonEntry[];
  /** Labels to filter by (speciation order). */
  labels: string[];
  filter: string | null;
  selected: number;
  onFilter(label: string | null): void;
  onSelect(ordinal: number): void;
  ionName: string;
}

/** Filter ions by shell species ("ions that have this shell at some frame") and pick one. */
export function IonPicker({ ions, labels, filter, selected, onFilter, onSelect, ionName }: IonPickerProps) {
  const shown = filter === null ? ions : ions.filter((i) => i.share > 0);
  return (
    <div className="ion-picker">
      <label>
        filter{' '}
        <select data-testid="ion-filter" value={filter ?? ''} onChange={(e) => onFilter(e.target.value === '' ? null : e.target.value)}>
          <option value="">all shells</option>
          {labels.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        ion{' '}
        <select data-testid="ion-picker" value={String(selected)} onChange={(e) => onSelect(Number(e.target.value))}>
          {shown.map((i) => (
            <option key={i.ordinal} value={String(i.ordinal)}>
              {ionName} {i.ordinal + 1} (atom {i.atom + 1}){i.label ? ` ${i.label}` : ''}
              {filter !== null ? ` · ${(100 * i.share).toFixed(0)} % of frames` : ''}
            </option>
          ))}
        </select>
      </label>
      <span className="muted">{shown.length} of {ions.length}</span>
    </div>
  );
}
