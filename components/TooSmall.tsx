import React from 'react';
import { Box, Text } from 'ink';
import { theme } from './theme.js';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

/** btop-style: say what is needed; q still quits. */
export function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Box flexDirection="column" width={columns} height={Math.max(1, rows - 1)} alignItems="center" justifyContent="center">
      <Text color={theme.warn} wrap="truncate">
        terminal too small (need {MIN_COLUMNS}×{MIN_ROWS}, have {columns}×{rows})
      </Text>
      <Text color={theme.muted} wrap="truncate">
        resize, or press q to quit
      </Text>
    </Box>
  );
}
