import type { BackendSlice } from './backendSlice';
import type { ConfigSlice } from './configSlice';
import type { MetricsSlice } from './metricsSlice';
import type { RunSlice } from './runSlice';
import type { SamplesSlice } from './samplesSlice';
import type { SearchSlice } from './searchSlice';
import type { UiSlice } from './uiSlice';
import type { UploadSlice } from './uploadSlice';
import type { LibrarySlice } from './librarySlice';

/** The whole app state: the intersection of every slice. */
export type AppState = BackendSlice & ConfigSlice & RunSlice & MetricsSlice & SamplesSlice & SearchSlice & UiSlice & UploadSlice & LibrarySlice;
