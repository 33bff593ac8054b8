import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';

/** Loads with `load`, again whenever a dependency changes or `reload()` is called. */
export function useLoad<Value>(load: () => Promise<Value>, dependencies: unknown[]) {
  const [state, setState] = useState<{ value?: Value; error?: ApiError; loading: boolean }>({ loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (value) => current && setState({ value, loading: false }),
      (error: unknown) => current && setState({ error: asApiError(error), loading: false }),
    );
    return () => {
      current = false;
    };
    // The caller's dependencies and the reload round, spread: the effect runs again when any of them changes.
  }, [...dependencies, round]);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  return { ...state, reload };
}

export function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 'ERROR');
}

/** An error as the API gave it, announced to screen readers. */
export function ErrorNote({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      <strong>{error.code}</strong> {error.message}
    </p>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? (
    <p class="muted" role="status">
      Loading…
    </p>
  ) : null;
}

/** A page section with its heading, the target of the skip link and of focus after navigation. */
export function Page({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div class="actions">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}

/** A wide table scrolls sideways inside its own focusable region on a phone, not the whole page. */
/** A column of a `TableBox`: its heading, and whether it holds numbers (right-aligned). */
export type Column = string | { label: string; number: true };

/** A table in a scrollable, labelled region, its caption and header row made from `caption` and `columns`; `children` are its body. */
export function TableBox({ label, columns, caption, children }: { label: string; columns: readonly Column[]; caption?: string; children: ComponentChildren }) {
  return (
    <div class="table-box" role="region" aria-label={label} tabIndex={0}>
      <table>
        {caption ? <caption>{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((column) =>
              typeof column === 'string' ? (
                <th scope="col">{column}</th>
              ) : (
                <th scope="col" class="number">
                  {column.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        {children}
      </table>
    </div>
  );
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function seconds(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return '—';
  const value = (new Date(to).getTime() - new Date(from).getTime()) / 1000;
  return Number.isFinite(value) ? `${value.toFixed(value < 10 ? 1 : 0)} s` : '—';
}
