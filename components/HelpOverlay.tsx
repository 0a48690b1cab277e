import React from 'react';
import { Box, Text } from 'ink';
import { KEY_BINDINGS, keyLabel } from './keys.js';
import { theme } from './theme.js';

/** Every key, from the same registry that handles input. */
export function HelpOverlay({ width, height }: { width: number; height: number }) {
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.info} width={width} height={height} overflow="hidden" paddingX={1}>
      <Text bold>Keys</Text>
      {KEY_BINDINGS.map((b) => (
        <Text key={b.id} wrap="truncate">
          <Text bold color={theme.info}>
            {keyLabel(b).padEnd(8)}
          </Text>
          {b.help}
        </Text>
      ))}
      <Text color={theme.muted}>Press ? or Esc to close.</Text>
    </Box>
  );
}
