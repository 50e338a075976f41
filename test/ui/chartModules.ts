/** The Plot chart builders, imported after the test has put a DOM in place. */
export { attributionsChart } from '../../src/ui/charts/attributions';
export { clvDistributionChart } from '../../src/ui/charts/clvDistribution';
export { cumulativeGainChart } from '../../src/ui/charts/cumulativeGain';
export { decileCalibrationChart } from '../../src/ui/charts/decileCalibration';
export { featureImportanceChart } from '../../src/ui/charts/featureImportance';
export { liftChart } from '../../src/ui/charts/lift';
export { lossCurvesChart } from '../../src/ui/charts/lossCurves';
export { predictedVsActualChart } from '../../src/ui/charts/predictedVsActual';
export { rfmHeatmapChart } from '../../src/ui/charts/rfmHeatmap';
export { segmentSharesChart } from '../../src/ui/charts/segmentShares';
export { valueSharesChart } from '../../src/ui/charts/valueShares';
