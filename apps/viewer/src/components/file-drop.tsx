import { useState } from 'react';

export interface FileDropProps {
  onFiles(files: File[]): void;
  onExample(): void;
  disabled?: boolean;
}

/** Drop zone + file picker (topology and trajectory together) + the bundled example. Nothing is uploaded. */
export function FileDrop({ onFiles, onExample, disabled }: FileDropProps) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={`drop${over ? ' over' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        e.stopPropagation();
        setOver(false);
        onFiles(Array.from(e.dataTransfer.files));
      }}
    >
      <label className="pick">
        open files…
        <input
          type="file"
          multiple
          data-testid="file-input"
          disabled={disabled}
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            if (files.length) onFiles(files);
          }}
        />
      </label>
      <span className="muted">or drop topology + trajectory here · read locally, never uploaded</span>
      <button type="button" data-testid="load-example" onClick={onExample} disabled={disabled}>
        Load example (Mg(TFSI)₂ in DME)
      </button>
    </div>
  );
}
