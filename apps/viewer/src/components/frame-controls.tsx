export interface FrameControlsProps {
  frame: number;
  frameCount: number;
  timePs: number;
  playing: boolean;
  onFrame(i: number): void;
  onPlay(playing: boolean): void;
}

/** Frame slider and play/pause. */
export function FrameControls({ frame, frameCount, timePs, playing, onFrame, onPlay }: FrameControlsProps) {
  return (
    <div className="frame-controls">
      <button type="button" data-testid="play" onClick={() => onPlay(!playing)} aria-label={playing ? 'pause' : 'play'}>
        {playing ? '❚❚' : '▶'}
      </button>
      <input
        type="range"
        data-testid="frame-slider"
        min={0}
        max={Math.max(0, frameCount - 1)}
        step={1}
        value={frame}
        onChange={(e) => onFrame(Number(e.target.value))}
        aria-label="frame"
      />
      <span className="frame-readout" data-testid="frame-readout">
        frame {frame} / {frameCount - 1}
        {Number.isFinite(timePs) ? ` · ${timePs.toFixed(1)} ps` : ''}
      </span>
    </div>
  );
}
