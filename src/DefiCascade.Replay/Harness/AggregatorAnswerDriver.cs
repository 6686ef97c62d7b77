using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;
using DefiCascade.Ethereum.Rpc;

namespace DefiCascade.Replay.Harness;

/// <summary>
/// Oracle mode "answers": each asset's current AaveOracle source (getSourceOfAsset) is an aggregator that keeps its answer
/// in storage slot 0 (Aave's MockAggregator, as the test harness deploys it; it has no setter), so a new answer is an
/// anvil_setStorageAt of that slot. Only for such sources: a real Chainlink aggregator keeps its answers elsewhere (the
/// fork mode "sources" points the oracle at settable aggregators instead).
/// </summary>
public sealed class AggregatorAnswerDriver(EthClient eth, Address aaveOracle) : IOracleDriver
{
    private readonly Dictionary<Address, Address> _sources = new();
    private readonly List<string> _disclosures = [];

    public IReadOnlyList<string> Disclosures => _disclosures;

    public async Task PrepareAsync(IReadOnlyList<Address> assets, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(assets);
        foreach (var asset in assets)
        {
            var output = await ChainCalls.CallAsync(eth.Rpc, aaveOracle, ChainCalls.Encode("getSourceOfAsset(address)", asset), $"AaveOracle.getSourceOfAsset({asset.Hex})", ct: ct).ConfigureAwait(false);
            var source = ChainCalls.TopicAddress(output[..32]);
            if (source == Address.Zero)
            {
                throw new ReplayChainException($"AaveOracle.getSourceOfAsset({asset.Hex}) is the zero address: the asset has no source whose answer could be set");
            }

            _sources[asset] = source;
        }

        _disclosures.Add("oracle answers (--oracle-mode answers): storage slot 0 of each asset's AaveOracle source (getSourceOfAsset) written with "
            + "anvil_setStorageAt, the answer slot of the harness's MockAggregator; sources " + string.Join(", ", _sources.Select(p => $"{p.Key.Hex} -> {p.Value.Hex}")));
    }

    public async Task SetAnswerAsync(Address asset, BigInteger answer, CancellationToken ct = default)
    {
        if (!_sources.TryGetValue(asset, out var source))
        {
            throw new InvalidOperationException($"asset {asset.Hex} was not prepared");
        }

        try
        {
            await eth.SetStorageAtAsync(source, BigInteger.Zero, answer, ct).ConfigureAwait(false);
        }
        catch (JsonRpcException e)
        {
            throw new ReplayChainException($"anvil_setStorageAt (oracle answer of {asset.Hex}) failed: {e.NodeMessage}", e);
        }
    }
}
