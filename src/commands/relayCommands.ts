import * as vscode from 'vscode';
import { Commands } from '../constants';
import { parseImpairmentText } from '../core/sockets/impairment';
import { validateDestinationPort, validateHost, validateImpairment } from '../core/validate';
import type { Impairment, Protocol } from '../shared/types';
import { Cancelled, defineCommand, settings, type Ctx } from '../context';
import { localizedError, socketLabel, stateText } from '../l10n';
import { askPort, confirmRemoteBind, pick } from './prompts';

// Built when asked: vscode.l10n answers in the display language only once the extension is activated.
const TITLE = (): string => vscode.l10n.t('Start Relay');

type Preset = 'none' | 'lossy' | 'slow' | 'bad' | 'custom';

const PRESETS = (): Array<{ value: Preset; label: string; detail: string; impairment?: Impairment }> => [
  {
    value: 'none',
    label: vscode.l10n.t('No impairment'),
    detail: vscode.l10n.t('Forward everything at once: watch both legs of the conversation'),
  },
  {
    value: 'lossy',
    label: vscode.l10n.t('20 % loss'),
    detail: vscode.l10n.t('Drop one datagram in five, each way (TCP retransmits, so it only gets slower)'),
    impairment: { loss: 0.2 },
  },
  {
    value: 'slow',
    label: vscode.l10n.t('Slow link: 100 ± 50 ms'),
    detail: vscode.l10n.t(
      'Delay with jitter: UDP datagrams can overtake each other, TCP bytes stay in order',
    ),
    impairment: { delayMs: 100, jitterMs: 50 },
  },
  {
    value: 'bad',
    label: vscode.l10n.t('Bad network'),
    detail: vscode.l10n.t('10 % loss, 50 ± 30 ms, 10 % reordered, 5 % duplicated'),
    impairment: { loss: 0.1, delayMs: 50, jitterMs: 30, reorder: 0.1, duplicate: 0.05 },
  },
  {
    value: 'custom',
    label: vscode.l10n.t('Custom…'),
    detail: vscode.l10n.t('e.g. loss=20% delay=100ms jitter=20 reorder=5% duplicate=1% seed=7'),
  },
];

/** "12000", "localhost:12000", "127.0.0.1:12000" or "[::1]:12000" → host and port. */
function parseTarget(text: string, defaultHost: string): { host: string; port: number } {
  const t = text.trim();
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(t) ?? /^([^:]+):(\d+)$/.exec(t);
  if (m) {
    return { host: validateHost(m[1]!, 'host'), port: validateDestinationPort(m[2]!, 'port') };
  }
  return { host: defaultHost, port: validateDestinationPort(t, 'port') };
}

async function askTarget(protocol: Protocol, defaultHost: string, defaultPort: number) {
  const value = await vscode.window.showInputBox({
    title: TITLE(),
    prompt: vscode.l10n.t(
      'Where is your {0} server? A port (on {1}), or host:port such as [::1]:12000',
      protocol.toUpperCase(),
      defaultHost,
    ),
    value: String(defaultPort),
    validateInput: (v) => {
      try {
        parseTarget(v, defaultHost);
        return undefined;
      } catch (err) {
        return localizedError(err);
      }
    },
  });
  if (value === undefined) {
    throw new Cancelled();
  }
  return parseTarget(value, defaultHost);
}

async function askImpairment(): Promise<Impairment | undefined> {
  const preset = await pick(
    TITLE(),
    PRESETS(),
    vscode.l10n.t('Impair the link? Seeded choices repeat exactly on every run.'),
  );
  if (preset !== 'custom') {
    return PRESETS().find((p) => p.value === preset)?.impairment;
  }
  const check = (v: string): Impairment => validateImpairment(parseImpairmentText(v)) ?? {};
  const text = await vscode.window.showInputBox({
    title: TITLE(),
    prompt: vscode.l10n.t(
      'Rates as % or 0–1, times in ms, applied each way: loss, delay, jitter, reorder, duplicate; seed makes it repeat',
    ),
    value: 'loss=20% delay=50ms jitter=20 seed=1',
    validateInput: (v) => {
      try {
        check(v);
        return undefined;
      } catch (err) {
        return localizedError(err);
      }
    },
  });
  if (text === undefined) {
    throw new Cancelled();
  }
  return check(text);
}

export function registerRelayCommands(ctx: Ctx): vscode.Disposable[] {
  return [
    defineCommand(ctx, Commands.StartRelay, async (inv) => {
      if (inv.mode === 'api') {
        return ctx.registry.startRelay(inv.arg);
      }
      const s = settings(ctx);
      const protocol = await pick<Protocol>(
        TITLE(),
        [
          {
            value: 'udp',
            label: 'UDP',
            detail: vscode.l10n.t('Forward datagrams; each client address gets its own upstream socket'),
          },
          {
            value: 'tcp',
            label: 'TCP',
            detail: vscode.l10n.t('Forward byte streams; each client connection gets its own upstream one'),
          },
        ],
        vscode.l10n.t('Which protocol does your server speak?'),
      );
      const target = await askTarget(protocol, s.bindAddress, s.defaultPort);
      const suggested = target.port < 65535 ? target.port + 1 : 0;
      const listenPort = await askPort(TITLE(), suggested, {
        allowZero: true,
        prompt: vscode.l10n.t(
          'Port for the relay to listen on (your client connects here instead of {0}; 0 lets the OS pick)',
          target.port,
        ),
      });
      const impairment = await askImpairment();
      await confirmRemoteBind(
        s.bindAddress,
        s.allowRemoteBind,
        vscode.l10n.t('Bind the relay to {0}', s.bindAddress),
      );
      const info = await ctx.registry.startRelay({
        protocol,
        listenPort,
        targetHost: target.host,
        targetPort: target.port,
        ...(impairment ? { impairment } : {}),
      });
      await ctx.reveal(info.id);
      void vscode.window.showInformationMessage(
        vscode.l10n.t(
          '{0} is {1}. Point your client at port {2} instead of {3}.',
          socketLabel(info.label),
          stateText(info.state),
          info.local.port,
          target.port,
        ),
      );
      return info;
    }),
  ];
}
