/** Module worker entry: the solvscope worker API (open, frames on demand, analysis chunks). */
import { exposeViewerWorker } from '@solvscope/browser';

exposeViewerWorker();
