import React, { type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { theme } from './theme.js';

/** A bordered pane: title, optional subtitle, and content cut to fit. */
export function Pane({ title, subtitle, more, width, height, focused, children }: { title: string; subtitle?: string; more?: string; width: number; height: number; focused: boolean; children: ReactNode }) {
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={focused ? theme.ok : theme.muted} width={width} height={height} overflowY="hidden">
      <Text bold wrap="truncate">
        {focused ? <Text color={theme.ok}>▸ </Text> : '  '}
        {title}
        {more ? <Text color={theme.warn}> {more}</Text> : null}
        {subtitle ? <Text color={theme.muted}> {subtitle}</Text> : null}
      </Text>
      {children}
    </Box>
  );
}

/** Rows that fit inside a pane of `height` (border 2, title 1, header 1). */
export function bodyRows(height: number, header = true): number {
  return Math.max(0, height - 3 - (header ? 1 : 0));
}

/** What a windowed list hides, for the pane's title: '↑4 +3 more', or '' when every row shows. */
export function hiddenNote(start: number, visible: number, count: number): string {
  if (count <= visible) return '';
  const below = Math.max(0, count - start - visible);
  return [start ? `↑${start}` : '', below ? `+${below} more` : ''].filter(Boolean).join(' ');
}
