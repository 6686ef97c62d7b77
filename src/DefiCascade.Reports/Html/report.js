// Draws report.html's charts with Chart.js from the JSON data island (#report-data).
// Every canvas names what it shows in data-chart / data-index; text goes to canvases or
// textContent only, never into markup. When all charts exist, <html data-charts-ready="N">.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, sans-serif';

  function usd(value) {
    var v = Number(value);
    return (v < 0 ? '-$' : '$') + Math.abs(v).toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 0 : 2 });
  }

  function xy(values) {
    return data.blocks.map(function (block, i) { return { x: block, y: values[i] }; });
  }

  function line(label, values, color, dash, stepped) {
    return {
      label: label, data: xy(values), borderColor: color, backgroundColor: color, borderWidth: 1.5,
      borderDash: dash || [], pointRadius: 0, stepped: !!stepped, spanGaps: false
    };
  }

  function axis(title, extra) {
    var a = { type: 'linear', title: { display: true, text: title } };
    for (var k in extra) { a[k] = extra[k]; }
    return a;
  }

  // Vertical lines at x values (the VaR marks), labelled at the top of the plot.
  var markLines = {
    id: 'markLines',
    afterDatasetsDraw: function (chart, args, options) {
      var marks = options.marks || [];
      var ctx = chart.ctx, area = chart.chartArea, x = chart.scales.x;
      ctx.save();
      marks.forEach(function (mark, i) {
        var px = x.getPixelForValue(mark.usd);
        ctx.strokeStyle = palette[(i + 1) % palette.length];
        ctx.lineWidth = 2;
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.fillStyle = ctx.strokeStyle;
        ctx.font = '12px system-ui, sans-serif';
        // Labels past the middle go left of their line so they stay inside the plot.
        var left = px > (area.left + area.right) / 2;
        ctx.textAlign = left ? 'right' : 'left';
        ctx.fillText(mark.label + ' ' + usd(mark.usd), px + (left ? -4 : 4), area.top + 14 + 16 * i);
      });
      ctx.restore();
    }
  };

  var makers = {
    price: function (i) {
      var p = data.prices[i];
      return {
        type: 'line',
        data: { datasets: [line('external', p.external, palette[0]), line('pool', p.pool, palette[1], [6, 3]), line('oracle', p.oracle, palette[2], [], true)] },
        options: {
          interaction: { mode: 'nearest', axis: 'x', intersect: false },
          scales: { x: axis('block', { min: data.blocks[0], max: data.blocks[data.blocks.length - 1], ticks: { precision: 0 } }), y: axis('USD', { ticks: { callback: usd } }) },
          plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + usd(c.parsed.y); } } } }
        }
      };
    },
    activity: function () {
      var a = data.activity;
      var datasets = a.debtRepaidUsdByCollateral.map(function (s, i) {
        return { type: 'bar', label: 'debt repaid, ' + s.asset + ' collateral', data: s.debtRepaidUsd, backgroundColor: palette[i % palette.length], stack: 'repaid', yAxisID: 'y' };
      });
      datasets.push({ type: 'line', label: 'bad debt so far', data: a.badDebtUsd, borderColor: '#000', backgroundColor: '#000', borderWidth: 2, pointRadius: 0, yAxisID: 'y2' });
      return {
        type: 'bar',
        data: { labels: data.blocks.map(String), datasets: datasets },
        options: {
          interaction: { mode: 'index', intersect: false },
          scales: {
            x: { stacked: true, title: { display: true, text: 'block' } },
            y: axis('debt repaid (USD)', { stacked: true, beginAtZero: true, ticks: { callback: usd } }),
            y2: axis('bad debt (USD)', { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: usd } })
          },
          plugins: { tooltip: { callbacks: { label: function (c) { return c.dataset.label + ': ' + usd(c.parsed.y); } } } }
        }
      };
    },
    montecarlo: function () {
      var mc = data.monteCarlo;
      var lo = mc.bins[0].from, hi = mc.bins[mc.bins.length - 1].to;
      mc.marks.forEach(function (m) { lo = Math.min(lo, m.usd); hi = Math.max(hi, m.usd); });
      return {
        type: 'bar',
        data: { datasets: [{ label: 'paths', data: mc.bins.map(function (b) { return { x: (b.from + b.to) / 2, y: b.count }; }), backgroundColor: palette[0], barPercentage: 1, categoryPercentage: 1, grouped: false }] },
        options: {
          scales: { x: axis('bad debt (USD)', { min: lo, max: hi, offset: false, ticks: { callback: usd } }), y: axis('paths', { beginAtZero: true, ticks: { precision: 0 } }) },
          plugins: {
            markLines: { marks: mc.marks },
            legend: { display: false },
            tooltip: { callbacks: { title: function (items) { var b = mc.bins[items[0].dataIndex]; return usd(b.from) + ' to ' + usd(b.to); } } }
          }
        },
        plugins: [markLines]
      };
    },
    sweep: function (i) {
      var s = data.sweep, map = s.maps[i];
      var values = map.cells.map(function (c) { return c.v; });
      var min = Math.min.apply(null, values), max = Math.max.apply(null, values);
      function color(c) {
        var cell = c.dataset.data[c.dataIndex];
        var t = !cell || max === min ? 0.5 : (cell.v - min) / (max - min);
        return 'rgb(' + Math.round(255 - 75 * t) + ',' + Math.round(240 - 200 * t) + ',' + Math.round(180 - 150 * t) + ')';
      }
      return {
        type: 'matrix',
        data: {
          datasets: [{
            label: map.metric,
            data: map.cells.map(function (c) { return { x: String(c.x), y: String(c.y), v: c.v }; }),
            backgroundColor: color, borderColor: '#fff', borderWidth: 1,
            width: function (c) { return ((c.chart.chartArea || {}).width || 0) / s.xValues.length - 1; },
            height: function (c) { return ((c.chart.chartArea || {}).height || 0) / s.yValues.length - 1; }
          }]
        },
        options: {
          scales: {
            x: { type: 'category', labels: s.xValues.map(String), offset: true, grid: { display: false }, title: { display: true, text: s.x } },
            y: { type: 'category', labels: s.yValues.map(String), offset: true, reverse: true, grid: { display: false }, title: { display: true, text: s.y } }
          },
          plugins: {
            legend: { display: false },
            title: { display: true, text: map.metric + ': ' + min + ' (light) to ' + max + ' (dark)' },
            tooltip: { callbacks: { label: function (c) { var d = c.dataset.data[c.dataIndex]; return s.x + ' ' + d.x + ', ' + s.y + ' ' + d.y + ': ' + d.v; } } }
          }
        }
      };
    }
  };

  var charts = [];
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    var make = makers[canvas.dataset.chart];
    charts.push(new Chart(canvas, make(Number(canvas.dataset.index))));
  });
  window.reportCharts = charts;
  document.documentElement.dataset.chartsReady = String(charts.length);
})();
