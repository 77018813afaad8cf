import { searchTree, useAppStore, type SearchNode } from '../store';
import { formatCount, formatScore } from './format';
import { InfoText, PanelHeading } from './InfoToggle';

function Node({ node, tree, activeId }: { node: SearchNode; tree: Map<number | null, SearchNode[]>; activeId: number | null }) {
  const children = tree.get(node.id) ?? [];
  const active = activeId === node.id;
  const cls = ['search-node', node.chosen ? 'chosen' : '', active ? 'active' : '', node.score === undefined ? 'pending' : ''].filter(Boolean).join(' ');
  return (
    <li>
      <div className={cls} data-testid="search-node" data-id={node.id} data-chosen={String(node.chosen)} data-scored={String(node.score !== undefined)}>
        <span className="sn-id">#{node.id}</span> <code className="sn-action">{node.action ?? 'base 4×4'}</code>{' '}
        <span className="sn-res">
          {node.resolution}×{node.resolution}
        </span>{' '}
        <span className="sn-params">
          G {formatCount(node.params.G)} · D {formatCount(node.params.D)} params
        </span>{' '}
        {node.score !== undefined && node.metric ? <span className="sn-score">{formatScore(node.metric, node.score)}</span> : null}
        {node.chosen && <span className="badge badge-chosen">chosen{node.stage > 0 ? ` at stage ${node.stage}` : ''}</span>}
        {active && (
          <progress value={node.progress} max={1} aria-label={`Training #${node.id}`}>
            {Math.round(node.progress * 100)} %
          </progress>
        )}
      </div>
      {children.length > 0 && (
        <ul>
          {children.map((c) => (
            <Node key={c.id} node={c} tree={tree} activeId={activeId} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function Search() {
  const search = useAppStore((s) => s.search);
  const mode = useAppStore((s) => s.run.config?.mode ?? s.config.mode);
  const tree = searchTree(search);
  const roots = tree.get(null) ?? [];
  const scored = search.order.filter((id) => search.nodes[id]!.score !== undefined).length;
  return (
    <section aria-labelledby="search-heading" className="panel search">
      <PanelHeading id="search-heading" view="search" title="Search" />
      <InfoText view="search">
        <p>
          In dynamic mode, every growth stage is a small contest. The best models so far (the parents) each propose legal growth actions;
          every candidate copies its parent&apos;s weights, grows, trains for the same number of images and is scored: SWD from 16 px,
          KID below. The best candidate of the stage (highlighted) trains on. Every image a candidate sees counts toward the budget.
        </p>
      </InfoText>
      {mode !== 'dggan' ? (
        <p className="muted">The search runs in Dynamic mode; ProGAN and manual runs follow a fixed plan.</p>
      ) : roots.length === 0 ? (
        <p className="muted">Candidates appear here once the search starts.</p>
      ) : (
        <>
          <p className="search-summary">
            {search.order.length} models, {scored} scored{search.phase === 'grow' ? ` · growth stage ${search.stage}: candidates training` : ''}
          </p>
          <ul className="search-tree" aria-label="Search tree: parents and the candidates grown from them" data-testid="search-tree">
            {roots.map((r) => (
              <Node key={r.id} node={r} tree={tree} activeId={search.activeId} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
