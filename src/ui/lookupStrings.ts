/** The customer lookup's words: its timeline, P(alive) history and 90% intervals. */
export const LOOKUP_STRINGS = {
  timelineTitle: 'Purchases over time',
  timelineHelp: (cutoff: string) =>
    `Each stem is one day with purchases, its height the day's net spend. Days up to the cutoff (${cutoff}) are what the models learned from; days after it fall in the horizon they predict.`,
  timelineTruncated: (days: string) => `Only the most recent ${days} days are drawn.`,
  timelineEmpty: 'No purchases to draw for this customer.',
  spendAxis: '↑ Net spend of the day (currency)',
  dateAxis: 'Date →',
  beforeCutoff: 'Up to the cutoff',
  afterCutoff: 'In the horizon',
  cutoff: (day: string) => `Cutoff ${day}`,
  pAliveTitle: 'P(alive) over time (BG/NBD)',
  pAliveHelp: (unit: string) =>
    `The probability that this customer was still active, as BG/NBD would have said on each ${unit} from the first purchase to the cutoff, knowing only the purchases made by then: it falls while the customer is quiet and rises with each repeat purchase (except the first: BG/NBD takes a customer who never bought again as surely active).`,
  pAliveAxis: '↑ P(alive) (0–1)',
  pAliveAtCutoff: (value: string) => `P(alive) at the cutoff: ${value}`,
  pAliveOnlyProbabilistic: 'P(alive) over time needs BG/NBD + Gamma-Gamma in the training; tick it in Train models to see it.',
  interval: (low: string, high: string) => `90% interval ${low} – ${high}`,
  intervalHelp:
    'The 90% intervals: for the predicted CLV, where the spend this customer will actually make in the horizon falls 9 times in 10 under the model (its coverage on the test customers is reported); for expected purchases and the discounted CLV, how far the expectation moves with the uncertainty of BG/NBD’s fitted parameters.',
  outsideInterval:
    'The predicted CLV is the expected (average) spend; when the model expects spend to be very skewed (mostly little, now and then a lot), that average can lie above the range 9 in 10 outcomes fall in.',
  noInterval: (model: string) => `${model} gives no interval for the CLV; BG/NBD + Gamma-Gamma and the ZILN network do.`,
  discountedClv: 'Discounted CLV (BG/NBD + Gamma-Gamma)',
  why: (model: string, primary: string | null) => `${model}${primary ? ` (the predicted CLV above is ${primary}’s; this explains the best network)` : ''}`,
  savedNet: 'the saved network',
};
