using System.Globalization;
using System.Numerics;
using DefiCascade.Adapters.Abi;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Replay.Fork;

/// <summary>
/// Moves Aave V3 oracle prices on a fork, where the feeds are Chainlink proxies without a setter. In
/// <see cref="PrepareAsync"/>: read the AaveOracle, ACLManager and ACL admin from the PoolAddressesProvider; install a
/// settable feed (<see cref="FakeAggregatorCode"/>) per asset at <see cref="ForkAddresses.FakeAggregator"/>, holding the
/// price the oracle reports now; impersonate the ACL admin to grant <see cref="ForkAddresses.ReplayAdmin"/>
/// ASSET_LISTING_ADMIN, impersonate that account to call AaveOracle.setAssetSources, revoke the role, stop both
/// impersonations; then check every asset's getAssetPrice is unchanged and its source is the fake. After that
/// <see cref="SetAnswerAsync"/> is one anvil_setStorageAt on the fake, checked by reading getAssetPrice back.
/// <para>The <see cref="EthClient"/> must allow sending to the node's chain id (a mainnet fork keeps chain id 1: build it
/// with <see cref="EthClientOptions.AllowNonDevChain"/> after <see cref="DevChainGuard.CheckAsync"/> said it is anvil).</para>
/// <para>An asset that is the oracle's BASE_CURRENCY is priced at BASE_CURRENCY_UNIT by the oracle itself, no source can
/// move it: Prepare refuses it. A price of zero or below is refused: AaveOracle would ask its fallback oracle instead.</para>
/// </summary>
public sealed class SourcesOracleDriver : IOracleDriver
{
    /// <summary>The gas money an impersonated admin is topped up to when it holds less (1 ETH).</summary>
    public static readonly BigInteger GasMoney = BigInteger.Pow(10, 18);

    private readonly EthClient _eth;
    private readonly Address _provider;
    private readonly List<string> _disclosures = [];
    private readonly Dictionary<Address, Address> _fakes = [];
    private Contract? _oracle;

    public SourcesOracleDriver(EthClient eth, Address poolAddressesProvider)
    {
        ArgumentNullException.ThrowIfNull(eth);
        _eth = eth;
        _provider = poolAddressesProvider;
    }

    public IReadOnlyList<string> Disclosures => _disclosures;

    /// <summary>The AaveOracle read from the provider (after <see cref="PrepareAsync"/>).</summary>
    public Address Oracle => _oracle?.Address ?? throw NotPrepared();

    /// <summary>The settable feed now serving <paramref name="asset"/>.</summary>
    public Address FakeOf(Address asset) =>
        _fakes.TryGetValue(asset, out var fake) ? fake : throw new InvalidOperationException($"asset {asset} was not prepared by the sources oracle driver");

    public async Task PrepareAsync(IReadOnlyList<Address> assets, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(assets);
        if (assets.Count == 0 || assets.Distinct().Count() != assets.Count)
        {
            throw new ArgumentException("give each asset once, at least one", nameof(assets));
        }

        var provider = new Contract(_eth, "PoolAddressesProvider", AdapterAbis.Get("AaveV3ProviderAdmin").Abi, _provider);
        var oracle = new Contract(_eth, "AaveOracle", AdapterAbis.Get("AaveV3OracleAdmin").Abi, await AddressAsync(provider, "getPriceOracle").ConfigureAwait(false));
        var acl = new Contract(_eth, "ACLManager", AdapterAbis.Get("AaveV3AclManager").Abi, await AddressAsync(provider, "getACLManager").ConfigureAwait(false));
        var aclAdmin = await AddressAsync(provider, "getACLAdmin").ConfigureAwait(false);
        var baseCurrency = await AddressAsync(oracle, "BASE_CURRENCY").ConfigureAwait(false);
        var decimals = Decimals(await oracle.CallUIntAsync("BASE_CURRENCY_UNIT").ConfigureAwait(false));

        // 1. one settable feed per asset, answering what the oracle reports now: re-pointing changes no price.
        var before = new Dictionary<Address, (BigInteger Price, Address Source)>();
        var code = FakeAggregatorCode.Runtime();
        foreach (var asset in assets)
        {
            if (asset == baseCurrency)
            {
                throw new InvalidOperationException($"asset {asset} is the AaveOracle's BASE_CURRENCY: the oracle prices it at BASE_CURRENCY_UNIT itself and no source can move it");
            }

            var price = await oracle.CallUIntAsync("getAssetPrice", asset).ConfigureAwait(false);
            if (price.Sign <= 0)
            {
                throw new InvalidOperationException($"asset {asset}: the AaveOracle reports no price (0); a replay cannot start from it");
            }

            before[asset] = (price, await AddressAsync(oracle, "getSourceOfAsset", asset).ConfigureAwait(false));
            var fake = ForkAddresses.FakeAggregator(asset);
            var existing = await _eth.GetCodeAsync(fake, BlockParameter.Latest, ct).ConfigureAwait(false);
            if (existing.Length != 0 && !existing.AsSpan().SequenceEqual(code))
            {
                throw new InvalidOperationException($"asset {asset}: the fake feed's address {fake} already holds other code; refusing to overwrite it");
            }

            await _eth.SetCodeAsync(fake, code, ct).ConfigureAwait(false);
            await _eth.SetStorageAtAsync(fake, FakeAggregatorCode.AnswerSlot, price, ct).ConfigureAwait(false);
            await _eth.SetStorageAtAsync(fake, FakeAggregatorCode.DecimalsSlot, decimals, ct).ConfigureAwait(false);
            _fakes[asset] = fake;
        }

        // 2. the role, the call, the role back; the impersonations end whatever happens.
        var replayAdmin = ForkAddresses.ReplayAdmin;
        try
        {
            await ImpersonateWithGasAsync(aclAdmin, "the ACL admin", ct).ConfigureAwait(false);
            await ImpersonateWithGasAsync(replayAdmin, "the replay admin", ct).ConfigureAwait(false);
            var alreadyListingAdmin = (bool)(await acl.CallAsync("isAssetListingAdmin", replayAdmin).ConfigureAwait(false))[0];
            if (!alreadyListingAdmin)
            {
                await acl.SendAsync(aclAdmin, "addAssetListingAdmin", replayAdmin).ConfigureAwait(false);
                _disclosures.Add($"ACL admin {aclAdmin} (impersonated with anvil_impersonateAccount) granted ASSET_LISTING_ADMIN on ACLManager {acl.Address} to the replay admin {replayAdmin}");
            }

            await oracle.SendAsync(
                replayAdmin,
                "setAssetSources",
                assets.Select(a => (object)a).ToArray(),
                assets.Select(a => (object)_fakes[a]).ToArray()).ConfigureAwait(false);
            _disclosures.Add($"replay admin {replayAdmin} (impersonated) called AaveOracle {oracle.Address}.setAssetSources for {assets.Count} asset(s)");
            foreach (var asset in assets)
            {
                _disclosures.Add($"asset {asset}: price source {before[asset].Source} replaced by a settable fake feed at {_fakes[asset]} (code written with anvil_setCode, "
                    + $"answer in storage slot 0 = {before[asset].Price.ToString(CultureInfo.InvariantCulture)}, the oracle's price at preparation, {decimals} decimals)");
            }

            if (!alreadyListingAdmin)
            {
                await acl.SendAsync(aclAdmin, "removeAssetListingAdmin", replayAdmin).ConfigureAwait(false);
                _disclosures.Add($"ACL admin {aclAdmin} revoked ASSET_LISTING_ADMIN from the replay admin again");
            }
        }
        finally
        {
            await _eth.StopImpersonatingAccountAsync(replayAdmin, CancellationToken.None).ConfigureAwait(false);
            await _eth.StopImpersonatingAccountAsync(aclAdmin, CancellationToken.None).ConfigureAwait(false);
        }

        _disclosures.Add($"impersonation of {aclAdmin} and {replayAdmin} stopped (anvil_stopImpersonatingAccount)");

        // 3. nothing moved: same price, new source, for every asset.
        foreach (var asset in assets)
        {
            var source = await AddressAsync(oracle, "getSourceOfAsset", asset).ConfigureAwait(false);
            var price = await oracle.CallUIntAsync("getAssetPrice", asset).ConfigureAwait(false);
            if (source != _fakes[asset] || price != before[asset].Price)
            {
                throw new InvalidOperationException(
                    $"asset {asset}: after re-pointing, the AaveOracle reports price {price} from source {source}; expected the unchanged {before[asset].Price} from the fake {_fakes[asset]}");
            }
        }

        _oracle = oracle;
    }

    public async Task SetAnswerAsync(Address asset, BigInteger answer, CancellationToken ct = default)
    {
        var oracle = _oracle ?? throw NotPrepared();
        if (answer.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(answer), answer, $"asset {asset}: AaveOracle ignores answers <= 0 (it asks its fallback oracle); give a positive price");
        }

        await _eth.SetStorageAtAsync(FakeOf(asset), FakeAggregatorCode.AnswerSlot, answer, ct).ConfigureAwait(false);
        var price = await oracle.CallUIntAsync("getAssetPrice", asset).ConfigureAwait(false);
        if (price != answer)
        {
            throw new InvalidOperationException($"asset {asset}: the fake feed answers {answer} but AaveOracle.getAssetPrice reports {price} (was the source replaced since?)");
        }
    }

    private async Task ImpersonateWithGasAsync(Address account, string role, CancellationToken ct)
    {
        await _eth.ImpersonateAccountAsync(account, ct).ConfigureAwait(false);
        var balance = await _eth.GetBalanceAsync(account, BlockParameter.Latest, ct).ConfigureAwait(false);
        if (balance < GasMoney)
        {
            await _eth.SetBalanceAsync(account, GasMoney, ct).ConfigureAwait(false);
            _disclosures.Add($"{role} {account}: ETH balance set from {balance} to {GasMoney} wei with anvil_setBalance, for gas");
        }
    }

    private static async Task<Address> AddressAsync(Contract c, string function, params object[] args) =>
        (Address)(await c.CallAsync(function, args).ConfigureAwait(false))[0];

    /// <summary>The fake reports the oracle's own unit (it is what getAssetPrice returns), so its decimals are log10 of it.</summary>
    private static int Decimals(BigInteger unit)
    {
        if (unit.Sign <= 0)
        {
            throw new InvalidOperationException($"the AaveOracle's BASE_CURRENCY_UNIT is {unit}");
        }

        var decimals = 0;
        for (var u = unit; u > BigInteger.One; u /= 10)
        {
            if (!(u % 10).IsZero)
            {
                throw new InvalidOperationException($"the AaveOracle's BASE_CURRENCY_UNIT {unit} is not a power of ten");
            }

            decimals++;
        }

        return decimals;
    }

    private static InvalidOperationException NotPrepared() => new("the sources oracle driver is not prepared: call PrepareAsync first");
}
