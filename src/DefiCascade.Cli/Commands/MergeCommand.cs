using System.CommandLine;
using DefiCascade.Reports;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// <c>defi-cascade merge</c>: the N shard files of one sweep into sweep.csv, frontier.csv and sweep.json, the same
/// bytes an unsharded run writes. The base run's files travel with shard 1 and are copied from its folder.
/// </summary>
public static class MergeCommand
{
    private static readonly string[] BaseFiles = ["result.json", "blocks.csv", "liquidations.csv"];

    public static Command Create(CliIo io)
    {
        var output = new Option<string>("--out") { Description = "Folder for the merged sweep.csv, frontier.csv, sweep.json (and shard 1's base run files).", HelpName = "DIR", Required = true };
        var html = new Option<bool>("--html") { Description = "Also write report.html (needs the base run's files, which 'sweep --shard 1/N' writes beside its shard)." };
        var inputs = new Argument<string[]>("shards") { Description = "Shard files (sweep.shard-K-of-N.csv) or folders holding them.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Combine the shards of a sweep (sweep --shard K/N) into the files of the unsharded run; refuses shards of different sweeps.")
        {
            output, html, inputs,
        };
        command.SetAction(parse =>
        {
            try
            {
                return Run(io, parse.GetValue(output)!, parse.GetValue(inputs)!, parse.GetValue(html));
            }
            catch (BadInputException e)
            {
                io.Error.WriteLine($"error: {e.Message}");
                return CliApp.BadInput;
            }
            catch (SweepFileException e)
            {
                io.Error.WriteLine($"error: {e.Message}");
                return CliApp.BadInput;
            }
            catch (IOException e)
            {
                io.Error.WriteLine($"error: cannot read or write: {e.Message}");
                return CliApp.BadInput;
            }
        });
        return command;
    }

    private static int Run(CliIo io, string outDir, string[] inputs, bool html)
    {
        var files = new List<(string Name, string Text)>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.GetFiles(input, "sweep.shard-*-of-*.csv").Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                {
                    throw new BadInputException($"{input}: the folder holds no sweep.shard-K-of-N.csv file");
                }

                files.AddRange(found.Select(f => (f, File.ReadAllText(f))));
            }
            else if (File.Exists(input))
            {
                files.Add((input, File.ReadAllText(input)));
            }
            else
            {
                throw new BadInputException($"{input}: no such shard file or folder");
            }
        }

        var (manifest, rows) = SweepCsv.Merge(files);
        var (sweep, frontier, json) = SweepCsv.Build(manifest, rows);
        var written = new List<(string, string)> { ("sweep.csv", sweep), ("frontier.csv", frontier), ("sweep.json", json) };
        var first = Path.GetDirectoryName(Path.GetFullPath(files.First(f => f.Text.Split('\n')[0].Contains(" shard 1 of ", StringComparison.Ordinal)).Name))!;
        if (BaseFiles.All(f => File.Exists(Path.Combine(first, f))))
        {
            written.AddRange(BaseFiles.Select(f => (f, File.ReadAllText(Path.Combine(first, f)))));
        }
        else if (html)
        {
            throw new BadInputException($"--html: the report needs the base run's {string.Join(", ", BaseFiles)}, which 'sweep --shard 1/N' writes beside its shard; {first} does not hold them");
        }

        OutputFolder.WriteAll(outDir, written);
        SweepCommand.WriteHtml(io, outDir, html);
        var invalid = rows.Count(r => r.Contains(",\"invalid: ", StringComparison.Ordinal) || r.Contains(",invalid: ", StringComparison.Ordinal));
        SweepCommand.Summarize(io, outDir, frontier, invalid, rows.Count);
        io.Out.WriteLine($"Merged {files.Count} shard{(files.Count == 1 ? "" : "s")} of sweep {SweepCsv.Id(SweepCsv.ManifestJson(manifest))}.");
        return CliApp.Ok;
    }
}
