/** Search the blast-radius graph by name, path or fingerprint; picking a result selects the node, which the canvas then centres and zooms to. */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { searchGraphNodes, type BlastGraph } from '../../shared/present/index.js';
import { NODE_KINDS } from '../graph/legend.js';
import { useUiEvents } from '../store/hooks.js';

/** A search box over the graph's nodes with a short list of matches; Enter picks the first; `onFocus` asks the canvas to centre and zoom to the pick. */
export function GraphSearch({ graph, onFocus }: { graph: BlastGraph; onFocus: (nodeId: string) => void }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const { nodeSelected } = useUiEvents();
  const hits = useMemo(() => searchGraphNodes(graph, query, 8), [graph, query]);
  const listId = useId();

  const pick = (nodeId: string) => {
    nodeSelected(nodeId);
    onFocus(nodeId);
    setOpen(false);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && hits[0]) pick(hits[0].node.id);
    if (event.key === 'Escape') setOpen(false);
  };

  return (
    <div className="graph-search" role="search">
      <input
        type="search"
        data-testid="graph-search"
        placeholder="Find a host, container, path or fingerprint"
        aria-label="Find a node by name, path or fingerprint"
        aria-controls={listId}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      {open && query.trim() !== '' && (
        <ul className="graph-search-results" id={listId} data-testid="graph-search-results">
          {hits.length === 0 ? (
            <li className="muted small" data-testid="graph-search-none">
              No node matches.
            </li>
          ) : (
            hits.map((hit) => (
              <li key={hit.node.id}>
                <button type="button" className="graph-search-hit" data-testid={`graph-search-hit-${hit.node.id}`} onClick={() => pick(hit.node.id)}>
                  <span className="muted small">{NODE_KINDS[hit.node.kind].tag}</span> <strong>{hit.node.label}</strong>
                  {hit.matched !== hit.node.label && <code className="small">{hit.matched}</code>}
                </button>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );
}
