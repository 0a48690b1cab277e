import React, { memo } from 'react';
import { Box, Text } from 'ink';
import { KEY_BINDINGS, keyLabel } from './keys.js';
import { theme } from './theme.js';

/** Key hints generated from the registry. */
export const Footer = memo(function Footer({ width, line }: { width: number; line: string }) {
  return (
    <Box width={width} height={1} overflow="hidden">
      <Text wrap="truncate">
        {KEY_BINDINGS.filter((b) => b.footer).map((b) => (
          <Text key={b.id}>
            <Text bold color={theme.info}>
              {keyLabel(b)}
            </Text>
            <Text color={theme.muted}> {b.label}  </Text>
          </Text>
        ))}
        <Text color={theme.muted}>│ {line}</Text>
      </Text>
    </Box>
  );
});
