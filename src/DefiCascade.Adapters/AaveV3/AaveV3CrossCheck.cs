using DefiCascade.Core.Snapshot;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>A user whose account data the model, fed the snapshot, computes differently from Pool.getUserAccountData.</summary>
public sealed class AaveV3CrossCheckException : Exception
{
    public AaveV3CrossCheckException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// The snapshot checked against the pool itself: for every position, the Lending model (AaveV3Market.FromSnapshot,
/// AaveAccount.FromSnapshot, AaveV3Accounting) must give exactly the account data getUserAccountData gave at the block.
/// It can be exact: the snapshot stores underlying amounts (scaled.rayMul(index), what the contract sums) and the reserves'
/// indexes; the model scales with rayDiv and prices with rayMul, which for an index of at least one ray gives back the
/// same underlying amount (without the indexes, 1e27, where both are the identity), and stable debt
/// folded into the snapshot's debt is summed with variable debt before pricing, as GenericLogic does.
/// </summary>
public static class AaveV3CrossCheck
{
    /// <summary>Returns the number of positions checked; throws <see cref="AaveV3CrossCheckException"/> on the first mismatch.</summary>
    public static int Verify(AaveV3MarketSnapshot market, IReadOnlyList<SnapshotToken> tokens, IReadOnlyList<OracleFeedSnapshot> oracles, IEnumerable<AaveV3UserRead> users)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(oracles);
        ArgumentNullException.ThrowIfNull(users);
        var bySymbol = tokens.ToDictionary(t => t.Symbol, StringComparer.Ordinal);
        var model = AaveV3Market.FromSnapshot(market, s => bySymbol.TryGetValue(s, out var t) ? t.ToToken() : throw new KeyNotFoundException($"token '{s}' is not among the snapshot's tokens"));
        var prices = model.Reserves
            .Select(r => oracles.FirstOrDefault(o => o.Asset == r.Token.Symbol && o.Kind == "chainlink")?.Answer
                ?? throw new KeyNotFoundException($"no oracle answer for reserve '{r.Token.Symbol}' of '{market.Name}'"))
            .ToArray();
        var oracle = new ArrayPriceOracle(prices);
        var checkedCount = 0;
        foreach (var user in users)
        {
            var account = AaveAccount.FromSnapshot(user.ToPosition(), model);
            var computed = AaveV3Accounting.CalculateUserAccountData(model, account, oracle);
            if (computed != user.AccountData)
            {
                throw new AaveV3CrossCheckException(
                    $"user {user.User.Hex} in '{market.Name}': the model on the snapshot position gives health factor {computed.HealthFactor}, "
                    + $"getUserAccountData {user.AccountData.HealthFactor} (model {computed}, pool {user.AccountData})");
            }

            checkedCount++;
        }

        return checkedCount;
    }
}
