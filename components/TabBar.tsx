import React from 'react';
import { Box, Text } from 'ink';
import { theme } from './theme.js';
import { PANES, type PaneId } from './ui-state.js';

/** The compact layout's pane tabs. */
export function TabBar({ width, focus }: { width: number; focus: PaneId }) {
  return (
    <Box width={width} height={1} overflowY="hidden">
      <Text wrap="truncate">
        {PANES.map((p) => (
          <Text key={p.id}>
            {p.id === focus ? (
              <Text bold inverse color={theme.ok}>
                {` ${p.key} ${p.title} `}
              </Text>
            ) : (
              <Text color={theme.muted}>{` ${p.key} ${p.title} `}</Text>
            )}
            <Text color={theme.muted}>│</Text>
          </Text>
        ))}
        <Text color={theme.muted}> Tab/1–5 to switch</Text>
      </Text>
    </Box>
  );
}
