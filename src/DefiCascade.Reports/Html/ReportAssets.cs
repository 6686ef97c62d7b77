using System.Reflection;
using System.Text.RegularExpressions;

namespace DefiCascade.Reports.Html;

/// <summary>
/// The scripts and style inlined into report.html: Chart.js and the chartjs-chart-matrix heatmap
/// controller (embedded at build time from the npm pins in Html/assets), our report.js and report.css.
/// </summary>
public static partial class ReportAssets
{
    public static string ChartJs => Lazy.Value.ChartJs;

    public static string MatrixJs => Lazy.Value.MatrixJs;

    public static string ReportJs => Lazy.Value.ReportJs;

    public static string ReportCss => Lazy.Value.ReportCss;

    /// <summary>The version in Chart.js's licence banner, e.g. "4.6.1".</summary>
    public static string ChartJsVersion => BannerVersion().Match(ChartJs) is { Success: true } m ? m.Groups[1].Value : "unknown";

    private static readonly Lazy<(string ChartJs, string MatrixJs, string ReportJs, string ReportCss)> Lazy = new(() =>
        (Script("chart.js"), Script("chartjs-chart-matrix.js"), Script("report.js"), Resource("report.css")));

    /// <summary>
    /// A script ready to sit inside a script element: the source-map comment is dropped (the page must
    /// ask for nothing), and a script that could close its own element is refused rather than inlined.
    /// </summary>
    private static string Script(string name)
    {
        var text = SourceMap().Replace(Resource(name), string.Empty);
        return text.Contains("</script", StringComparison.OrdinalIgnoreCase)
            ? throw new InvalidOperationException($"embedded {name} contains '</script' and cannot be inlined")
            : text;
    }

    private static string Resource(string name)
    {
        var assembly = typeof(ReportAssets).Assembly;
        using var stream = assembly.GetManifestResourceStream("DefiCascade.Reports.Html." + name)
            ?? throw new InvalidOperationException($"resource {name} is not embedded in {assembly.GetName().Name} (see Html/ReportAssets.targets)");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^//# sourceMappingURL=\S*\s*$", RegexOptions.Multiline)]
    private static partial Regex SourceMap();

    [GeneratedRegex(@"Chart\.js v(\d+\.\d+\.\d+)")]
    private static partial Regex BannerVersion();
}
