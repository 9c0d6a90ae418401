"""The HTML of the program report: one self-contained, printable page (no external resources)."""

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ data.options.title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #999; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
caption { text-align: left; font-weight: 600; padding-bottom: 0.3em; }
figure { margin: 1em 0; page-break-inside: avoid; } figure svg { max-width: 100%; height: auto; }
.note { color: #555; font-size: 0.85em; } .meets { color: #075; } .fails { color: #a00; }
@media print { body { margin: 0; max-width: none; } h2 { page-break-before: auto; }
  table, figure { page-break-inside: avoid; } }
</style>
</head>
<body>
<h1>{{ data.options.title }}</h1>
<p>Follow-up to {{ data.options.closing_date }}{% if data.options.period_start %}, limbs presenting
from {{ data.options.period_start }}{% endif %}. {{ data.limbs }} limbs of {{ data.patients }}
patients ({{ data.patients_with_both_limbs }} with both limbs). Time zero: {{ time_zero }}.
Major amputation read as: {{ major_reading }}. Strata: {{ data.options.stratum_name }}.</p>

<h2 id="completeness">Completeness of follow-up</h2>
<table>
<caption>Clark's C: observed / potential follow-up time</caption>
<tr><th>{{ data.options.stratum_name }}</th><th>limbs</th><th>C</th><th>observed days</th>
<th>potential days</th><th>limbs without follow-up</th></tr>
{% for row in data.completeness %}<tr><td>{{ row.stratum }}</td><td>{{ row.result.limbs }}</td>
<td>{{ pct(row.result.index) }}</td><td>{{ row.result.observed_days }}</td>
<td>{{ row.result.potential_days }}</td><td>{{ row.result.limbs_without_follow_up }}</td></tr>
{% endfor %}</table>
<p class="note">Incomplete follow-up biases survival upwards; read every curve beside this
table.</p>

<h2 id="survival">Survival and freedom from events (Kaplan–Meier)</h2>
{% for curve in data.survival %}{{ curve_section(curve) }}{% endfor %}

<h2 id="incidence">Cumulative incidence with competing risks (Aalen–Johansen)</h2>
{% for curve in data.incidence %}{{ curve_section(curve) }}{% endfor %}

<h2 id="goals">SVS objective performance goals for CLI</h2>
<p>Comparable cohort: {{ data.comparable_limbs }} limbs with CLTI treated by autologous vein
bypass, not on dialysis (the goals' population). The verdict is read from the 95% interval, not
the point estimate.</p>
{{ goals_table(data.goals_comparable, "Comparable cohort") }}
{{ goals_table(data.goals_all, "All limbs") }}

<h2 id="wifi">1-year major amputation by WIfI stage</h2>
<table>
<caption>Program (1 − limb salvage at 365 days) beside published rates</caption>
<tr><th>WIfI stage</th><th>limbs</th><th>program</th><th>95% CI</th><th>at risk at 1 year</th>
<th>Cull 2014</th><th>van Reijen 2019</th></tr>
{% for row in data.wifi %}<tr><td>{{ row.stage }}</td><td>{{ row.limbs }}</td>
<td>{{ pct(row.estimate) }}</td><td>{{ interval(row.ci_lower, row.ci_upper) }}</td>
<td>{{ row.at_risk }}</td><td>{{ published(row.published["Cull 2014"]) }}</td>
<td>{{ published(row.published["van Reijen 2019"]) }}</td></tr>
{% endfor %}</table>
<p class="note">Unadjusted: the published series differ from this program in case mix and
treatment.</p>

<h2 id="activity">Program activity</h2>
<table>
<caption>Amputations per quarter (one per limb and day)</caption>
<tr><th>quarter</th><th>major</th><th>minor</th></tr>
{% for quarter, major, minor in data.metrics.amputations_by_quarter %}<tr><td>{{ quarter }}</td>
<td>{{ major }}</td><td>{{ minor }}</td></tr>{% endfor %}
</table>
<p>Major-to-minor amputation ratio: {{ ratio }}.
Days from presentation to index revascularization: {{ waits }}.
Angiography before major amputation: {{ angiography }}.</p>

<h2 id="definitions">Definitions and sources</h2>
<dl>
{% for definition in definitions %}<dt>{{ definition.title }}</dt>
<dd>Event: {{ definition.event }}.
{% if definition.competing %}Competing: {{ definition.competing }}.{% endif %}
Sources: {% for source in definition.sources %}{{ source.cite() }}
{%- if not loop.last %}; {% endif %}{% endfor %}.</dd>
{% endfor %}</dl>
<p>Tables used:</p>
<ul>{% for table in tables %}
<li><code>{{ table.ref }}</code>: {{ table.cite() }}</li>{% endfor %}
</ul>
<p>Methods: Kaplan–Meier with Greenwood variance and log-log 95% intervals; Aalen–Johansen
cumulative incidence with Aalen's variance; log-rank test across strata; tied times handled
exactly (events at one time together, censored at a time at risk then); events on one day ordered
major amputation, major reintervention, reintervention, myocardial infarction, stroke, death,
healing. Both limbs of a patient are counted as two limbs; when a patient contributes both, the
survival curves' bands, their horizon intervals and the goal comparisons use the variance
clustered by patient, while the cumulative-incidence bands and the log-rank test take limbs as
independent.
Follow-up completeness: {{ clark }}.</p>

{% if data.exclusions %}<h2 id="data-quality">Limbs left out for contradictory or missing data</h2>
<table><tr><th>limb</th><th>problem</th></tr>
{% for limb, problem in data.exclusions %}
<tr><td>{{ limb }}</td><td>{{ problem }}</td></tr>{% endfor %}
</table>{% endif %}
</body>
</html>
"""

CURVE_SECTION = """<h3 id="{{ anchor }}">{{ curve.title }}</h3>
<figure>{{ svg }}<figcaption class="note">{{ curve.title }} by {{ stratum_name }}; shaded: 95%
pointwise interval; numbers at risk under the axis.{% if curve.excluded %} {{ curve.excluded }}
limbs not eligible for this endpoint.{% endif %}</figcaption></figure>
<table>
<caption>{{ curve.title }}: {{ curve.estimate_name }} (95% CI) and number at risk</caption>
<tr><th>{{ stratum_name }}</th><th>limbs</th><th>events</th>
{% for day in horizons %}<th>day {{ day }}</th>{% endfor %}</tr>
{% for stratum, rows in curve.rows|groupby("stratum") %}<tr><td>{{ stratum }}</td>
<td>{{ rows[0].limbs }}</td><td>{{ rows[0].events }}</td>
{% for row in rows %}<td>{{ pct(row.estimate) }} ({{ interval(row.ci_lower, row.ci_upper) }}),
n = {{ row.at_risk }}</td>{% endfor %}</tr>
{% endfor %}</table>
{% if curve.logrank %}<p>Log-rank test across {{ stratum_name }}:
χ² = {{ "%.2f"|format(curve.logrank.statistic) }}, {{ curve.logrank.degrees_of_freedom }} df,
p = {{ "%.3g"|format(curve.logrank.p_value) }}.</p>{% endif %}
"""

GOALS_TABLE = """<table>
<caption>{{ caption }}</caption>
<tr><th>goal</th><th>threshold</th><th>vein-bypass controls</th><th>limbs</th><th>program</th>
<th>95% CI</th><th>at risk at horizon</th><th>verdict</th></tr>
{% for row in rows %}<tr><td>{{ row.goal.title }}</td><td>{{ threshold(row.goal) }}</td>
<td>{{ row.goal.bypass_controls }}</td><td>{{ row.limbs }}</td><td>{{ pct(row.estimate) }}</td>
<td>{{ interval(row.ci_lower, row.ci_upper) }}</td><td>{{ row.at_risk }}</td>
{% set verdict = row.verdict.value if row.verdict else "" %}
<td class="{{ verdict|replace(' ', '-') }}">{{ verdict or row.label }}</td></tr>
{% endfor %}</table>
"""
