/**
 * How a sequence model's inputs are cut from a file: how many periods of which length, counted
 * back from the cutoff (the last period ends on it, see sequences.ts), with which channels. The
 * engine picks the layout from the file's history when it trains; a saved model records it, and
 * scoring another file rebuilds the sequences with that same layout.
 */
import { ClvError } from '../errors';
import { daysBetween } from './period';
import { SEQUENCE_CHANNELS, type SequencePeriod } from './sequences';

export interface SequenceLayout {
  period: SequencePeriod;
  /** Periods back from the cutoff. */
  periods: number;
  /** Periods are anchored at the cutoff: the last one ends on it. */
  alignment: 'cutoff';
  /** Channel names per period, in order (SEQUENCE_CHANNELS). */
  channels: string[];
}

/** The period the engine trains the sequence nets with. */
export const ENGINE_SEQUENCE_PERIOD: SequencePeriod = 'week';
/** The fewest and most periods the engine gives the sequence nets. */
export const MIN_PERIODS = 4;
const MAX_PERIODS = 52;
const PERIOD_DAYS: Record<SequencePeriod, number> = { week: 7, month: 365.25 / 12 };

/** Whole periods of history, at least MIN_PERIODS: what a file of `calibrationDays` days up to the cutoff covers. */
function historyPeriods(period: SequencePeriod, calibrationDays: number): number {
  return Math.max(MIN_PERIODS, Math.ceil(calibrationDays / PERIOD_DAYS[period]));
}

/** The layout the engine trains with on `calibrationDays` days up to the cutoff: the weeks it covers, 4 to 52. */
export function engineSequenceLayout(calibrationDays: number): SequenceLayout {
  return {
    period: ENGINE_SEQUENCE_PERIOD,
    periods: Math.min(MAX_PERIODS, historyPeriods(ENGINE_SEQUENCE_PERIOD, calibrationDays)),
    alignment: 'cutoff',
    channels: [...SEQUENCE_CHANNELS],
  };
}

/** Days of history up to `cutoff` in a file that starts on `firstDay`, both days counted: what the engine sizes the sequences by. */
export function sequenceHistoryDays(firstDay: string, cutoff: string): number {
  return daysBetween(firstDay, cutoff) + 1;
}

/**
 * The layout the engine trains with at `cutoff` in a file that starts on `firstDay`. A model
 * trained on an earlier window (the forecast's and the strict backtest's past window) scores the
 * later window's customers with this same layout, cut at the later cutoff.
 */
export function engineSequenceLayoutAt(firstDay: string, cutoff: string): SequenceLayout {
  return engineSequenceLayout(sequenceHistoryDays(firstDay, cutoff));
}

/**
 * Throws BUNDLE_HISTORY_SHORT when a file's history up to `cutoff` (`calibrationDays` days) has
 * fewer periods than a saved model reads: its sequences would start with made-up empty periods.
 */
export function checkSequenceHistory(layout: SequenceLayout, calibrationDays: number, cutoff: string): void {
  const available = historyPeriods(layout.period, calibrationDays);
  if (available < layout.periods) {
    throw new ClvError(
      'BUNDLE_HISTORY_SHORT',
      `This model reads each customer's last ${layout.periods} ${layout.period}s of purchases before the cutoff, but this file covers only ${Math.ceil(calibrationDays / PERIOD_DAYS[layout.period])} ${layout.period}s up to ${cutoff}. Score a file with at least ${layout.periods} ${layout.period}s of history before the cutoff, or train a model on this file.`,
      { periods: layout.periods, period: layout.period, available },
    );
  }
}
