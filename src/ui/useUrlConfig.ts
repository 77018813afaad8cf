import { useEffect, useState } from 'react';
import { useAppStore } from '../store';
import { configFromHash, configToHash } from '../store/urlState';
import { DEFAULT_CONFIG, PRESETS } from '../worker/labConfig';

/** The settings every link is read against (the lab's opening settings). */
const BASE = { ...DEFAULT_CONFIG, ...PRESETS[0]!.config };

/**
 * Keeps the run settings in the URL hash: reads them once when the page opens (returning what
 * could not be used), then writes every change back, so the address is always a shareable link.
 */
export function useUrlConfig(): string[] {
  const [problems, setProblems] = useState<string[]>([]);
  useEffect(() => {
    const read = (hash: string) => {
      const { config, problems: found, found: any } = configFromHash(hash, BASE);
      if (any) useAppStore.getState().setConfig(config);
      setProblems(found);
    };
    read(window.location.hash);
    const write = (c: typeof BASE) => {
      const hash = configToHash(c, BASE);
      if (hash !== window.location.hash) window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
    };
    write(useAppStore.getState().config);
    const unsubscribe = useAppStore.subscribe((s, prev) => {
      if (s.config !== prev.config) write(s.config);
    });
    const onHash = () => read(window.location.hash);
    window.addEventListener('hashchange', onHash);
    return () => {
      unsubscribe();
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
  return problems;
}
