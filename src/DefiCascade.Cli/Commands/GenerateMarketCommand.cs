using System.CommandLine;
using DefiCascade.Core.Snapshot;
using DefiCascade.Reports;
using DefiCascade.Simulation.Synthetic;

namespace DefiCascade.Cli.Commands;

/// <summary><c>defi-cascade generate-market</c>: a synthetic, calibrated market snapshot of any size.</summary>
public static class GenerateMarketCommand
{
    public static Command Create(CliIo io)
    {
        var positions = new Option<int>("--positions")
        {
            Description = "Number of Aave V3 accounts to generate (the embedded default market has 20,000).",
            HelpName = "N",
            DefaultValueFactory = _ => 20_000,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Generator seed; the embedded market uses the default.",
            HelpName = "N",
            DefaultValueFactory = _ => new MarketGeneratorOptions().Seed,
        };
        var output = new Option<string>("--out")
        {
            Description = "Snapshot file to write (refuses to overwrite an existing file).",
            HelpName = "FILE",
            Required = true,
        };
        var command = new Command("generate-market", "Write a synthetic Aave V3 + Uniswap market snapshot calibrated to public figures (fixtures/README.md), e.g. a larger book for benchmarks.")
        {
            positions, seed, output,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(output)!;
            var count = parse.GetValue(positions);
            if (count < 1)
            {
                io.Error.WriteLine("error: --positions must be at least 1");
                return CliApp.BadInput;
            }

            if (File.Exists(path))
            {
                io.Error.WriteLine($"error: {path} exists; refusing to overwrite it (choose another --out or delete it)");
                return CliApp.BadInput;
            }

            var snapshot = DefaultMarketGenerator.Generate(new MarketGeneratorOptions { Positions = count, Seed = parse.GetValue(seed) });
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            OutputFolder.WriteAll(directory, [(Path.GetFileName(path), SnapshotJson.Serialize(snapshot))]);
            io.Out.WriteLine($"Wrote {path}: {count:N0} accounts, {snapshot.Pools.Count} pools, seed {parse.GetValue(seed)}.");
            return CliApp.Ok;
        });
        return command;
    }
}
