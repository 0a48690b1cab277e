import React from 'react';
import { Box, Text } from 'ink';
import { KEY_BINDINGS, keyLabel } from './keys.js';
import { LEGEND } from './legend.js';
import { theme } from './theme.js';
import { matches } from './ui-state.js';
import { REMOTE_COMMANDS } from '../src/alerts/remote.js';

// From Telegram (allow-listed users in allow-listed chats); /resume asks for /confirm.
const REMOTE = `${REMOTE_COMMANDS.map((c) => (c.confirm ? `${c.command}*` : c.command)).join(' ')}  (* needs /confirm <code>)`;

export interface HelpLine {
  /** A section title, or a term (key or column) with its text. */
  kind: 'section' | 'entry';
  term: string;
  text: string;
  warn?: boolean;
}

/** Every line of the help: keys from the registry, then the legend; `query` keeps matching entries and their section titles. */
export function helpLines(query: string): HelpLine[] {
  const sections: { title: string; lines: HelpLine[] }[] = [
    { title: 'Keys', lines: KEY_BINDINGS.map((b) => ({ kind: 'entry', term: keyLabel(b), text: b.help, warn: Boolean(b.confirm) })) },
    { title: 'Remote (Telegram)', lines: [{ kind: 'entry', term: 'commands', text: REMOTE }] },
    ...LEGEND.map((s) => ({ title: s.title, lines: s.entries.map((e): HelpLine => ({ kind: 'entry', term: e.term, text: e.text })) })),
  ];
  const out: HelpLine[] = [];
  for (const s of sections) {
    const hit = query ? s.lines.filter((l) => matches(query, l.term, l.text, s.title)) : s.lines;
    if (!hit.length) continue;
    out.push({ kind: 'section', term: s.title, text: '' }, ...hit);
  }
  return out;
}

/** Rows of help text that fit in an overlay of `height`. */
export function helpRows(height: number): number {
  return Math.max(1, height - 4);
}

/** Word-wraps `text` to lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = '';
    }
    line = line ? `${line} ${word}` : word;
    while (line.length > width) {
      out.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line) out.push(line);
  return out.length ? out : [''];
}

/** The help as screen lines for an overlay `width` wide: long entries continue under their text. */
export function helpScreenLines(query: string, width: number): HelpLine[] {
  const term = termWidth(width);
  const room = Math.max(10, width - 4 - term);
  return helpLines(query).flatMap((l) =>
    l.kind === 'section' ? [l] : wrap(l.text, room).map((t, i): HelpLine => ({ ...l, term: i ? '' : l.term, text: t })),
  );
}

const termWidth = (width: number) => Math.min(TERM, Math.floor((width - 4) / 3));

const TERM = Math.max(...KEY_BINDINGS.map((b) => keyLabel(b).length), ...LEGEND.flatMap((s) => s.entries.map((e) => e.term.length))) + 1;

/**
 * Keys and a legend of every column, abbreviation and header figure, from the
 * same registry that handles input. Scrolls (j/k, PgUp/PgDn, g/G) and searches
 * (/); what is above or below the window is announced.
 */
export function HelpOverlay({ width, height, scroll, query }: { width: number; height: number; scroll: number; query: string }) {
  const lines = helpScreenLines(query, width);
  const rows = helpRows(height);
  const start = Math.max(0, Math.min(scroll, lines.length - rows));
  const shown = lines.slice(start, start + rows);
  const below = lines.length - start - shown.length;
  const term = termWidth(width);
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.info} width={width} height={height} overflow="hidden" paddingX={1}>
      <Text bold wrap="truncate">
        Keys — {query ? <Text color={theme.info}>/{query} ({helpLines(query).filter((l) => l.kind === 'entry').length} found) </Text> : null}
        {start ? <Text color={theme.info}>↑ {start} above </Text> : null}
        <Text color={theme.muted}>and what the screen shows · ? or Esc closes · / searches · j/k PgUp/PgDn g/G scroll · yellow keys ask to confirm</Text>
      </Text>
      {shown.length === 0 ? <Text color={theme.muted}>nothing matches /{query}</Text> : null}
      {shown.map((l, i) =>
        l.kind === 'section' ? (
          <Text key={`s${start + i}`} bold underline color={theme.title} wrap="truncate">
            {l.term}
          </Text>
        ) : (
          <Text key={`e${start + i}`} wrap="truncate">
            <Text bold color={l.warn ? theme.warn : theme.info}>
              {l.term.length >= term ? `${l.term} ` : l.term.padEnd(term)}
            </Text>
            {l.text}
          </Text>
        ),
      )}
      <Text color={theme.muted} wrap="truncate">
        {below > 0 ? `+${below} more below (j/PgDn)` : ' '}
      </Text>
    </Box>
  );
}
