using System.CommandLine;
using DefiCascade.Reports.Html;

namespace DefiCascade.Cli.Commands;

/// <summary><c>defi-cascade report</c>: rebuild report.html from the files of a finished run.</summary>
public static class ReportCommand
{
    public static Command Create(CliIo io)
    {
        var from = new Option<string>("--from")
        {
            Description = $"Folder of a finished run (the --out of simulate): {ReportInputs.ResultFile}, {ReportInputs.BlocksFile} and {ReportInputs.LiquidationsFile} are required; {ReportInputs.MonteCarloFile}, {ReportInputs.PathsFile} and {ReportInputs.SweepFile} are drawn when present.",
            HelpName = "DIR",
            Required = true,
        };
        var output = new Option<string?>("--out")
        {
            Description = $"The HTML file to write (replaced if it exists). Default: DIR/{HtmlReport.FileName}.",
            HelpName = "FILE",
        };
        var command = new Command("report", "Write one self-contained HTML report (price paths, liquidations and bad debt per block, Monte Carlo distribution, sweep heatmaps, assumptions) from a run's output folder; it opens offline.")
        {
            from, output,
        };
        command.SetAction(parse =>
        {
            try
            {
                var written = HtmlReport.WriteToFolder(parse.GetValue(from)!, parse.GetValue(output));
                io.Out.WriteLine($"Wrote {written}.");
                return CliApp.Ok;
            }
            catch (ReportInputException e)
            {
                io.Error.WriteLine($"error: {e.Message}");
                return CliApp.BadInput;
            }
            catch (IOException e)
            {
                io.Error.WriteLine($"error: cannot write the report: {e.Message}");
                return CliApp.BadInput;
            }
        });
        return command;
    }
}
