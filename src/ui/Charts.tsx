import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useAppStore, type GrowthEntry } from '../store';
import { formatK } from './format';
import { InfoText, PanelHeading } from './InfoToggle';

const D_COLOR = '#1f5fbf';
const G_COLOR = '#c2410c';
const SWD_COLOR = '#6d28d9';
const KID_COLOR = '#047857';
const GROWTH_COLOR = '#8a8f99';

const AXIS_TICK = { fontSize: 14, fill: '#16181d' };
const imagesTick = (v: number) => formatK(v);
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/** The shared x axis of both charts: images seen, up to the planned run's length. */
function imagesAxis(xMax: number) {
  return (
    <XAxis
      dataKey="images"
      type="number"
      domain={[0, xMax]}
      allowDataOverflow
      tickFormatter={imagesTick}
      tick={AXIS_TICK}
      label={{ value: 'images seen', position: 'insideBottom', offset: -14, fontSize: 14 }}
    />
  );
}

function growthLines(growths: GrowthEntry[], yAxisId?: string) {
  return growths.map((g) => (
    <ReferenceLine
      key={`${g.stage}-${g.images}`}
      x={g.images}
      {...(yAxisId ? { yAxisId } : {})}
      stroke={GROWTH_COLOR}
      strokeDasharray="5 4"
      label={{ value: g.action, position: 'insideTopLeft', fontSize: 13, fill: '#4a505c' }}
    />
  ));
}

/** Both charts span the whole run (its planned images), so they fill up like the progress bar. */
function useXMax(): number {
  const planned = useAppStore((s) => s.run.plannedImages);
  const images = useAppStore((s) => s.run.images);
  return Math.max(planned, images, 1000);
}

function LossChart() {
  const losses = useAppStore((s) => s.run.losses);
  const growths = useAppStore((s) => s.run.growths);
  const xMax = useXMax();
  return (
    <figure
      className="chart"
      data-testid="loss-chart"
      data-points={losses.length}
      data-last-losses={losses.length > 0 ? `${losses[losses.length - 1]!.dLoss},${losses[losses.length - 1]!.gLoss}` : ''}
    >
      <figcaption>Losses of D and G against images seen</figcaption>
      <div className="chart-box" role="img" aria-label={`Loss chart: ${losses.length} points, ${growths.length} growths`}>
        <ResponsiveContainer width="100%" height={250}>
          <LineChart data={losses} margin={{ top: 18, right: 16, bottom: 26, left: 8 }}>
            <CartesianGrid stroke="#e3e5e9" />
            {imagesAxis(xMax)}
            <YAxis tick={AXIS_TICK} width={56} label={{ value: 'loss', angle: -90, position: 'insideLeft', fontSize: 14 }} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(3) : String(v))} labelFormatter={(v) => `${formatK(Number(v))} images`} />
            <Legend verticalAlign="top" height={26} />
            {growthLines(growths)}
            <Line type="monotone" dataKey="dLoss" name="D loss" stroke={D_COLOR} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line type="monotone" dataKey="gLoss" name="G loss" stroke={G_COLOR} strokeWidth={2} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function MetricsChart() {
  const reports = useAppStore((s) => s.metrics.reports);
  const growths = useAppStore((s) => s.run.growths);
  const data = reports.map((r) => ({ images: r.images, swd: r.swd?.avg, kid: r.kid?.mean }));
  const last = reports.at(-1);
  const xMax = useXMax();
  const where = last ? `N = ${last.n}, ${last.compareResolution}×${last.compareResolution}` : '';
  return (
    <figure className="chart" data-testid="metrics-chart" data-points={reports.length}>
      <figcaption>
        Sample quality after each stage (lower is better){where && (
          <span className="muted">
            {' '}
            · {where}
            {last?.features ? `, KID on ${last.features} features` : ', SWD only (no feature network for uploads)'}
          </span>
        )}
      </figcaption>
      <div className="chart-box" role="img" aria-label={`Metrics chart: ${reports.length} measurements`}>
        <ResponsiveContainer width="100%" height={250}>
          <LineChart data={data} margin={{ top: 18, right: 8, bottom: 26, left: 8 }}>
            <CartesianGrid stroke="#e3e5e9" />
            {imagesAxis(xMax)}
            <YAxis yAxisId="swd" tick={AXIS_TICK} width={56} label={{ value: 'SWD ×10³', angle: -90, position: 'insideLeft', fontSize: 14 }} />
            <YAxis yAxisId="kid" orientation="right" tick={AXIS_TICK} width={64} tickFormatter={(v: number) => compact.format(v)} label={{ value: 'KID', angle: 90, position: 'insideRight', fontSize: 14 }} />
            <Tooltip formatter={(v, name) => (typeof v === 'number' ? (name === 'KID' ? v.toPrecision(4) : v.toFixed(1)) : String(v))} labelFormatter={(v) => `${formatK(Number(v))} images`} />
            <Legend verticalAlign="top" height={26} />
            {growthLines(growths, 'swd')}
            <Line yAxisId="swd" type="linear" dataKey="swd" name="SWD ×10³" stroke={SWD_COLOR} strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} connectNulls />
            <Line yAxisId="kid" type="linear" dataKey="kid" name="KID" stroke={KID_COLOR} strokeWidth={2} dot={{ r: 4 }} isAnimationActive={false} connectNulls />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

export function Charts() {
  return (
    <section aria-labelledby="charts-heading" className="panel charts">
      <PanelHeading id="charts-heading" view="charts" title="Training curves" />
      <InfoText view="charts">
        <p>
          <strong>D loss</strong> (WGAN-GP) is negative when D tells real from fake easily; it jumps at each growth (dashed lines) while
          the new layers are still random, and settles as they fade in. <strong>G loss</strong> alone does not measure quality.
        </p>
        <p>
          <strong>SWD</strong> compares small patches of real and generated images at several scales; <strong>KID</strong> compares
          them in the features of a small classifier trained on the shapes. Both are measured at the data resolution (a 4×4 model&apos;s
          images are enlarged), so every stage sits on one scale. Lower is better.
        </p>
      </InfoText>
      <div className="chart-row">
        <LossChart />
        <MetricsChart />
      </div>
    </section>
  );
}
