/** The course's labs, with the course's defaults (port 12000). */
import type { LabDefinition } from './labDefinition';
import { pingerLab } from './pingerLab';
import { smtpClientLab } from './smtpClientLab';
import { uppercaseClientLab } from './uppercaseClientLab';
import { uppercaseServerLab } from './uppercaseServerLab';
import { webServerLab } from './webServerLab';

export const BUILT_IN_LABS: readonly LabDefinition[] = [
  uppercaseClientLab('udp'),
  uppercaseServerLab('udp'),
  uppercaseClientLab('tcp'),
  uppercaseServerLab('tcp'),
  pingerLab,
  webServerLab,
  smtpClientLab,
];
