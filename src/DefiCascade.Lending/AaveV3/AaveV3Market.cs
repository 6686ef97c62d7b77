using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Core.Snapshot;

namespace DefiCascade.Lending.AaveV3;

/// <summary>An Aave V3 pool: its reserves (in the pool's reserve-list order) and e-mode categories.</summary>
public sealed class AaveV3Market
{
    private readonly Dictionary<string, int> _bySymbol;
    private readonly Dictionary<int, AaveEMode> _eModes;

    public AaveV3Market(string name, IReadOnlyList<AaveReserve> reserves, IReadOnlyList<AaveEMode> eModes)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(reserves);
        ArgumentNullException.ThrowIfNull(eModes);
        Name = name;
        Reserves = reserves;
        EModes = eModes;
        _bySymbol = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < reserves.Count; i++)
        {
            var r = reserves[i];
            if (r.Index != i)
            {
                throw new ArgumentException($"reserve '{r.Token.Symbol}' has Index {r.Index} but sits at position {i}", nameof(reserves));
            }

            if (!_bySymbol.TryAdd(r.Token.Symbol, i))
            {
                throw new ArgumentException($"reserve '{r.Token.Symbol}' is listed twice", nameof(reserves));
            }
        }

        _eModes = new Dictionary<int, AaveEMode>();
        foreach (var e in eModes)
        {
            if (e.Id == 0)
            {
                throw new ArgumentException("e-mode category 0 means 'no e-mode' and cannot be configured", nameof(eModes));
            }

            if (e.PriceSourceReserve is int source && (source < 0 || source >= reserves.Count))
            {
                throw new ArgumentException($"e-mode category {e.Id} prices from reserve {source}, which does not exist", nameof(eModes));
            }

            if (!_eModes.TryAdd(e.Id, e))
            {
                throw new ArgumentException($"e-mode category {e.Id} is listed twice", nameof(eModes));
            }
        }
    }

    public string Name { get; }

    public IReadOnlyList<AaveReserve> Reserves { get; }

    public IReadOnlyList<AaveEMode> EModes { get; }

    public AaveEMode? EMode(int id) => _eModes.GetValueOrDefault(id);

    /// <summary>The reserve index of a symbol; throws <see cref="KeyNotFoundException"/> naming it.</summary>
    public int IndexOf(string symbol) =>
        _bySymbol.TryGetValue(symbol, out var i) ? i : throw new KeyNotFoundException($"asset '{symbol}' is not a reserve of Aave market '{Name}'");

    /// <summary>A copy with one reserve replaced (new indexes after interest accrual, a frozen or paused flag).</summary>
    public AaveV3Market WithReserve(AaveReserve reserve)
    {
        ArgumentNullException.ThrowIfNull(reserve);
        var list = Reserves.ToArray();
        list[reserve.Index] = reserve;
        return new AaveV3Market(Name, list, EModes);
    }

    public static AaveV3Market FromSnapshot(AaveV3MarketSnapshot s, Func<string, Token> tokenOf)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(tokenOf);
        var reserves = s.Reserves
            .Select((r, i) => new AaveReserve(
                i,
                tokenOf(r.Asset),
                r.LtvBps,
                r.LiquidationThresholdBps,
                r.LiquidationBonusBps,
                r.LiquidationProtocolFeeBps,
                r.EModeCategory,
                r.UsageAsCollateralEnabled,
                r.BorrowingEnabled,
                r.Active,
                r.Frozen,
                r.Paused)
            {
                LiquidityIndex = r.LiquidityIndex ?? WadRayMath.Ray,
                VariableBorrowIndex = r.VariableBorrowIndex ?? WadRayMath.Ray,
            })
            .ToArray();
        var symbols = reserves.Select((r, i) => (r.Token.Symbol, i)).ToDictionary(p => p.Symbol, p => p.i, StringComparer.Ordinal);
        var eModes = s.EModes
            .Select(e => new AaveEMode(
                e.Id,
                e.Label,
                e.LtvBps,
                e.LiquidationThresholdBps,
                e.LiquidationBonusBps,
                e.PriceSourceAsset is null
                    ? null
                    : symbols.TryGetValue(e.PriceSourceAsset, out var src)
                        ? src
                        : throw new KeyNotFoundException($"e-mode category {e.Id} of '{s.Name}' prices from '{e.PriceSourceAsset}', which is not a reserve")))
            .ToArray();
        return new AaveV3Market(s.Name, reserves, eModes);
    }

    /// <summary>The user's category; a user in a category the market does not configure is a data error.</summary>
    internal AaveEMode RequireEMode(int id) =>
        EMode(id) ?? throw new InvalidOperationException($"e-mode category {id} is not configured in Aave market '{Name}'");
}
