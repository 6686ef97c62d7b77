using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using DefiCascade.Replay;
using DefiCascade.Replay.Harness;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// The one place the replay command gets its chain seams. "answers" and "mint" act on test contracts (aggregators that
/// keep their answer in slot 0, tokens with a public mint); "sources" and "deal", for forks of real networks, are
/// not part of this build.
/// </summary>
internal static class ReplaySeams
{
    public static readonly string[] OracleModes = ["answers", "sources"];
    public static readonly string[] FundingModes = ["mint", "deal"];

    public static (IOracleDriver Oracle, IFunding Funding) Create(string oracleMode, string fundingMode, EthClient eth, Address aaveOracle, Address bot)
    {
        IOracleDriver oracle = oracleMode switch
        {
            "answers" => new AggregatorAnswerDriver(eth, aaveOracle),
            "sources" => throw new BadInputException("--oracle-mode sources is not available in this build; use --oracle-mode answers (aggregators that keep their answer in storage slot 0)"),
            _ => throw new BadInputException($"--oracle-mode: '{oracleMode}' is not one of {string.Join(", ", OracleModes)}"),
        };
        IFunding funding = fundingMode switch
        {
            "mint" => new MintFunding(eth, bot),
            "deal" => throw new BadInputException("--funding deal is not available in this build; use --funding mint (tokens with a public mint(address,uint256))"),
            _ => throw new BadInputException($"--funding: '{fundingMode}' is not one of {string.Join(", ", FundingModes)}"),
        };
        return (oracle, funding);
    }
}
