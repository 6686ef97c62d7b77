using System.Globalization;
using System.Numerics;
using System.Text;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Ethereum.Logs;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>
/// Reads an Aave V3.0.x market into snapshot pieces, in stages a caller can checkpoint between: the market
/// (<see cref="ReadMarketAsync"/>), its users (<see cref="DiscoverUsersAsync"/> or <see cref="UsersFile"/>), their
/// positions (<see cref="ReadPositionsAsync"/>), then <see cref="AaveV3SnapshotBuilder"/>. Every contract read goes
/// through the <see cref="IBatchCaller"/> in batches at one pinned block: the market is 4 round trips whatever the
/// reserve count, positions 2 round trips per chunk of users.
/// </summary>
public sealed partial class AaveV3Reader
{
    /// <summary>Users per chunk of <see cref="ReadPositionsAsync"/>: ~3 + 3 × reserves touched calls each.</summary>
    public const int DefaultUserChunkSize = 500;

    private readonly IBatchCaller _caller;
    private readonly ILogSource? _logs;

    public AaveV3Reader(IBatchCaller caller, ILogSource? logs = null, int userChunkSize = DefaultUserChunkSize)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentOutOfRangeException.ThrowIfLessThan(userChunkSize, 1);
        _caller = caller;
        _logs = logs;
        UserChunkSize = userChunkSize;
    }

    public int UserChunkSize { get; }

    /// <summary>
    /// The market behind <paramref name="poolAddressesProvider"/> at <paramref name="block"/>: reserves with decoded
    /// configuration, token addresses, indexes, totals and oracle prices (a missing or zero price is an error naming
    /// the asset), and the e-mode categories the reserves belong to.
    /// </summary>
    public async Task<AaveV3MarketRead> ReadMarketAsync(Address poolAddressesProvider, ulong block, CancellationToken ct = default)
    {
        // round 1: where the pool and the oracle live.
        var r1 = new ReadBatch(block);
        var hPool = r1.Add("PoolAddressesProvider", poolAddressesProvider, AaveV3Abis.Provider, "getPool");
        var hOracle = r1.Add("PoolAddressesProvider", poolAddressesProvider, AaveV3Abis.Provider, "getPriceOracle");
        await r1.RunAsync(_caller, ct).ConfigureAwait(false);
        var pool = NonZero(r1, hPool);
        var oracle = NonZero(r1, hOracle);

        // round 2: the reserve list, the pool's revision and the oracle's base currency.
        var r2 = new ReadBatch(block);
        var hList = r2.Add("Pool", pool, AaveV3Abis.Pool, "getReservesList");
        var hRevision = r2.Add("Pool", pool, AaveV3Abis.Pool, "POOL_REVISION");
        var hBase = r2.Add("AaveOracle", oracle, AaveV3Abis.Oracle, "BASE_CURRENCY");
        var hUnit = r2.Add("AaveOracle", oracle, AaveV3Abis.Oracle, "BASE_CURRENCY_UNIT");
        await r2.RunAsync(_caller, ct).ConfigureAwait(false);
        var assets = ((object[])r2.Required(hList)[0]).Cast<Address>().ToArray();
        var revision = r2.Optional(hRevision) is [BigInteger rev] ? rev : (BigInteger?)null;
        var baseCurrency = (Address)r2.Required(hBase)[0];
        var unit = (BigInteger)r2.Required(hUnit)[0];
        if (baseCurrency != Address.Zero)
        {
            // snapshot prices are USD; an oracle quoting in a token (ETH-based markets) would need a conversion feed.
            throw new NotSupportedException($"{r2.Name(hBase)} is {baseCurrency.Hex}: the oracle quotes in a token, not USD; only USD-based Aave V3 markets are supported");
        }

        var baseDecimals = Log10Exact(unit) ?? throw new ChainReadException(r2.Name(hUnit), $"answered {unit}, not a power of ten");

        // round 3: per reserve, its data, configuration, indexes, token metadata and price.
        var r3 = new ReadBatch(block);
        var h3 = assets.Select(a => new
        {
            Data = r3.Add("Pool", pool, AaveV3Abis.Pool, "getReserveData", a),
            Config = r3.Add("Pool", pool, AaveV3Abis.Pool, "getConfiguration", a),
            Income = r3.Add("Pool", pool, AaveV3Abis.Pool, "getReserveNormalizedIncome", a),
            Debt = r3.Add("Pool", pool, AaveV3Abis.Pool, "getReserveNormalizedVariableDebt", a),
            Symbol = r3.Add("ERC20", a, AaveV3Abis.Erc20, "symbol"),
            Decimals = r3.Add("ERC20", a, AaveV3Abis.Erc20, "decimals"),
            Price = r3.Add($"AaveOracle (asset {a.Hex})", oracle, AaveV3Abis.Oracle, "getAssetPrice", a),
            Source = r3.Add($"AaveOracle (asset {a.Hex})", oracle, AaveV3Abis.Oracle, "getSourceOfAsset", a),
        }).ToArray();
        await r3.RunAsync(_caller, ct).ConfigureAwait(false);

        // round 4: totals of the reserve tokens, what each price source answers, and the e-mode categories.
        var r4 = new ReadBatch(block);
        var partial = new List<PartialReserve>();
        for (var i = 0; i < assets.Length; i++)
        {
            var h = h3[i];
            var data = (object[])r3.Required(h.Data)[0];
            var configData = (BigInteger)((object[])r3.Required(h.Config)[0])[0];
            var config = ReserveConfiguration.Decode(configData);
            var symbol = Symbol(r3.Raw(h.Symbol), assets[i]);
            var decimals = (int)(BigInteger)r3.Required(h.Decimals)[0];
            if (decimals != config.Decimals)
            {
                throw new ChainReadException(r3.Name(h.Decimals), $"answered {decimals} but the pool configures {symbol} with {config.Decimals} decimals");
            }

            var price = (BigInteger)r3.Required(h.Price)[0];
            if (price.Sign <= 0)
            {
                // a missing price is an error, never a default: the simulator would value the reserve at 0.
                throw new ChainReadException(r3.Name(h.Price), $"answered {price} for {symbol} ({assets[i].Hex}): the oracle has no price for this asset");
            }

            var source = (Address)r3.Required(h.Source)[0];
            var p = new PartialReserve(
                (int)(BigInteger)data[7], new SnapshotToken(symbol, assets[i], decimals, Rpc(block)), configData, config,
                (Address)data[8], (Address)data[9], (Address)data[10],
                (BigInteger)r3.Required(h.Income)[0], (BigInteger)r3.Required(h.Debt)[0], price, source)
            {
                ASupply = r4.Add("a" + symbol, (Address)data[8], AaveV3Abis.Erc20, "totalSupply"),
                VSupply = r4.Add("variableDebt" + symbol, (Address)data[10], AaveV3Abis.Erc20, "totalSupply"),
                SSupply = r4.Add("stableDebt" + symbol, (Address)data[9], AaveV3Abis.Erc20, "totalSupply"),
                SourceDecimals = source == Address.Zero ? -1 : r4.Add($"price source of {symbol}", source, AaveV3Abis.Aggregator, "decimals"),
                SourceAnswer = source == Address.Zero ? -1 : r4.Add($"price source of {symbol}", source, AaveV3Abis.Aggregator, "latestAnswer"),
                SourceRound = source == Address.Zero ? -1 : r4.Add($"price source of {symbol}", source, AaveV3Abis.Aggregator, "latestRoundData"),
            };
            partial.Add(p);
        }

        var duplicate = partial.GroupBy(p => p.Token.Symbol, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            // symbols are the snapshot's identities: two reserves sharing one would merge their positions.
            throw new NotSupportedException($"reserves {string.Join(" and ", duplicate.Select(p => p.Token.Address.Hex))} share the symbol '{duplicate.Key}'");
        }

        var categories = partial.Select(p => p.Config.EModeCategory).Where(c => c != 0).Distinct().Order().ToArray();
        var hCategories = categories.Select(c => r4.Add("Pool", pool, AaveV3Abis.Pool, "getEModeCategoryData", (BigInteger)c)).ToArray();
        await r4.RunAsync(_caller, ct).ConfigureAwait(false);

        var reserves = partial.Select(p => new AaveV3ReserveRead(
            p.Id, p.Token, p.ConfigData, p.Config, p.AToken, p.StableDebt, p.VariableDebt, p.Income, p.DebtIndex,
            (BigInteger)r4.Required(p.ASupply)[0], (BigInteger)r4.Required(p.VSupply)[0], (BigInteger)r4.Required(p.SSupply)[0],
            new AaveV3PriceRead(
                p.Price,
                p.Source,
                p.SourceDecimals < 0 ? null : r4.Optional(p.SourceDecimals) is [BigInteger d] ? (int)d : null,
                p.SourceAnswer < 0 ? null : r4.Optional(p.SourceAnswer) is [BigInteger a] ? a : null,
                p.SourceRound < 0 ? null : r4.Optional(p.SourceRound) is [_, BigInteger answer, _, _, _] ? answer : null,
                p.SourceRound < 0 ? null : r4.Optional(p.SourceRound) is [_, _, _, BigInteger updatedAt, _] ? updatedAt : null))).ToArray();
        var eModes = categories.Select((c, k) => EModeOf(c, r4.Required(hCategories[k]))).ToArray();
        return new AaveV3MarketRead(block, poolAddressesProvider, pool, oracle, revision, unit, baseDecimals, reserves, eModes);
    }

    internal static AaveV3EModeRead EModeOf(int id, object[] outputs)
    {
        var e = (object[])outputs[0];
        return new AaveV3EModeRead(id, (string)e[4], (int)(BigInteger)e[0], (int)(BigInteger)e[1], (int)(BigInteger)e[2], (Address)e[3]);
    }

    internal static string Rpc(ulong block) => "rpc " + block.ToString(CultureInfo.InvariantCulture);

    private static Address NonZero(ReadBatch batch, int handle)
    {
        var address = (Address)batch.Required(handle)[0];
        return address != Address.Zero ? address : throw new ChainReadException(batch.Name(handle), "answered the zero address: not set in this provider");
    }

    private static int? Log10Exact(BigInteger unit)
    {
        var decimals = 0;
        for (var v = unit; v > BigInteger.One; v /= 10, decimals++)
        {
            if (!(v % 10).IsZero)
            {
                return null;
            }
        }

        return unit.Sign > 0 ? decimals : null;
    }

    private static string Symbol(EthCallResult result, Address token)
    {
        if (result.Success && TryString(result.ReturnData) is { } text)
        {
            return text;
        }

        // early tokens (MKR, an Aave V3 reserve) return symbol() as bytes32, zero padded.
        if (result.Success && result.ReturnData.Length == 32 && Encoding.UTF8.GetString(result.ReturnData).TrimEnd('\0') is { Length: > 0 } fixedText
            && fixedText.All(c => !char.IsControl(c)))
        {
            return fixedText;
        }

        return token.Hex;
    }

    private static string? TryString(byte[] data)
    {
        try
        {
            var decoded = AaveV3Abis.Erc20.Function("symbol").DecodeOutput(data);
            return decoded is [string { Length: > 0 } s] && s.All(c => !char.IsControl(c)) ? s : null;
        }
        catch (Ethereum.Abi.AbiException)
        {
            return null;
        }
    }

    private sealed record PartialReserve(
        int Id, SnapshotToken Token, BigInteger ConfigData, ReserveConfiguration Config, Address AToken, Address StableDebt, Address VariableDebt,
        BigInteger Income, BigInteger DebtIndex, BigInteger Price, Address Source)
    {
        public int ASupply { get; init; }

        public int VSupply { get; init; }

        public int SSupply { get; init; }

        public int SourceDecimals { get; init; }

        public int SourceAnswer { get; init; }

        public int SourceRound { get; init; }
    }
}
