using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using DefiCascade.Replay;
using DefiCascade.Replay.Fork;
using DefiCascade.Replay.Harness;

namespace DefiCascade.Cli.Commands;

/// <summary>
/// The one place the replay command gets its chain seams. "answers" and "mint" act on test contracts (aggregators that
/// keep their answer in slot 0, tokens with a public mint); "sources" and "deal" work on forks of real networks
/// (settable feeds installed through the impersonated ACL admin; balances written into the token's balance mapping).
/// </summary>
internal static class ReplaySeams
{
    public static readonly string[] OracleModes = ["answers", "sources"];
    public static readonly string[] FundingModes = ["mint", "deal"];

    public static (IOracleDriver Oracle, IFunding Funding) Create(string oracleMode, string fundingMode, EthClient eth, Address aaveProvider, Address aaveOracle, Address bot)
    {
        IOracleDriver oracle = oracleMode switch
        {
            "answers" => new AggregatorAnswerDriver(eth, aaveOracle),
            "sources" => new SourcesOracleDriver(eth, aaveProvider),
            _ => throw new BadInputException($"--oracle-mode: '{oracleMode}' is not one of {string.Join(", ", OracleModes)}"),
        };
        IFunding funding = fundingMode switch
        {
            "mint" => new MintFunding(eth, bot),
            "deal" => new DealFunding(eth),
            _ => throw new BadInputException($"--funding: '{fundingMode}' is not one of {string.Join(", ", FundingModes)}"),
        };
        return (oracle, funding);
    }
}
