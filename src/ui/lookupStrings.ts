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
  pAliveTitle: 'P(alive) over time',
  pAliveHelp: (unit: string) =>
    `The probability that this customer was still active, as each probabilistic model would have said on each ${unit} from the first purchase to the cutoff, knowing only the purchases made by then: it falls while the customer is quiet and rises with each repeat purchase. BG/NBD takes a customer who never bought again as surely active, so its line starts at 1 and may drop at the first repeat purchase; MBG/NBD and Pareto/NBD do not.`,
  pAliveAxis: '↑ P(alive) (0–1)',
  pAliveAtCutoffIntro: 'P(alive) at the cutoff:',
  pAliveOnlyProbabilistic: 'P(alive) over time needs a probabilistic model (BG/NBD, Pareto/NBD or MBG/NBD with Gamma-Gamma) in the training; tick one in Train models to see it.',
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
