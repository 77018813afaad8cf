/** Saves bytes as a file through a temporary object URL (nothing leaves the page). */
export function downloadBytes(bytes: Uint8Array | Blob, filename: string, type = 'application/zip'): void {
  const blob = bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
