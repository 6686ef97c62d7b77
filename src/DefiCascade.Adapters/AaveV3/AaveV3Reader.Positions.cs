using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Adapters.AaveV3;

public sealed partial class AaveV3Reader
{
    /// <summary>
    /// Reads <paramref name="users"/> at the market's block, <see cref="UserChunkSize"/> at a time (two round trips per
    /// chunk): getUserConfiguration, getUserEMode and getUserAccountData per user, then per reserve it touches the aToken's
    /// scaledBalanceOf (collateral bit) or the variable debt's scaledBalanceOf and the stable debt's balanceOf (borrowing
    /// bit). <paramref name="onChunk"/> runs after each chunk so a caller can checkpoint and resume with the rest.
    /// </summary>
    public async Task<AaveV3PositionsRead> ReadPositionsAsync(
        AaveV3MarketRead market,
        IReadOnlyList<Address> users,
        ulong block,
        Func<AaveV3UsersChunk, CancellationToken, Task>? onChunk = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(users);
        if (block != market.Block)
        {
            // balances times indexes of another block would be neither block's state.
            throw new ArgumentException($"positions must be read at the market's block {market.Block}, not {block}", nameof(block));
        }

        var read = new List<AaveV3UserRead>(users.Count);
        var extra = new Dictionary<int, AaveV3EModeRead>();
        for (var start = 0; start < users.Count; start += UserChunkSize)
        {
            var chunk = users.Skip(start).Take(UserChunkSize).ToArray();
            var result = await ReadChunkAsync(market, chunk, extra, ct).ConfigureAwait(false);
            read.AddRange(result);
            if (onChunk is not null)
            {
                await onChunk(new AaveV3UsersChunk(start, users.Count, result) { ExtraEModesSoFar = extra.Values.OrderBy(e => e.Id).ToArray() }, ct).ConfigureAwait(false);
            }
        }

        return new AaveV3PositionsRead(block, read, extra.Values.OrderBy(e => e.Id).ToArray());
    }

    private async Task<AaveV3UserRead[]> ReadChunkAsync(AaveV3MarketRead m, Address[] users, Dictionary<int, AaveV3EModeRead> extra, CancellationToken ct)
    {
        var r1 = new ReadBatch(m.Block);
        var h1 = users.Select(u => (
            Config: r1.Add("Pool", m.Pool, AaveV3Abis.Pool, "getUserConfiguration", u),
            EMode: r1.Add("Pool", m.Pool, AaveV3Abis.Pool, "getUserEMode", u),
            Data: r1.Add("Pool", m.Pool, AaveV3Abis.Pool, "getUserAccountData", u))).ToArray();
        await r1.RunAsync(_caller, ct).ConfigureAwait(false);

        var position = m.Reserves.Select((r, i) => (r.Id, i)).ToDictionary(p => p.Id, p => p.i);
        var r2 = new ReadBatch(m.Block);
        var plans = new List<(UserConfiguration Config, int EMode, UserAccountData Data, List<(int Reserve, bool Coll, bool Borrow, int A, int V, int S)> Reads)>();
        var newCategories = new Dictionary<int, int>();
        for (var k = 0; k < users.Length; k++)
        {
            var config = new UserConfiguration((BigInteger)((object[])r1.Required(h1[k].Config)[0])[0]);
            var eMode = (int)(BigInteger)r1.Required(h1[k].EMode)[0];
            var d = r1.Required(h1[k].Data);
            var data = new UserAccountData((BigInteger)d[0], (BigInteger)d[1], (BigInteger)d[2], (BigInteger)d[3], (BigInteger)d[4], (BigInteger)d[5]);
            if (eMode != 0 && m.EModes.All(e => e.Id != eMode) && !extra.ContainsKey(eMode) && !newCategories.ContainsKey(eMode))
            {
                newCategories[eMode] = r2.Add("Pool", m.Pool, AaveV3Abis.Pool, "getEModeCategoryData", (BigInteger)eMode);
            }

            var reads = new List<(int, bool, bool, int, int, int)>();
            foreach (var id in config.TouchedReserveIds())
            {
                if (!position.TryGetValue(id, out var i))
                {
                    throw new InvalidOperationException(
                        $"user {users[k].Hex} has configuration bits for reserve id {id} at block {m.Block}, but the market read lists no reserve with that id");
                }

                var r = m.Reserves[i];
                var s = r.Token.Symbol;
                var coll = config.IsUsingAsCollateral(id);
                var borrow = config.IsBorrowing(id);
                reads.Add((
                    i,
                    coll,
                    borrow,
                    coll ? r2.Add("a" + s, r.AToken, AaveV3Abis.ScaledToken, "scaledBalanceOf", users[k]) : -1,
                    borrow ? r2.Add("variableDebt" + s, r.VariableDebtToken, AaveV3Abis.ScaledToken, "scaledBalanceOf", users[k]) : -1,
                    borrow ? r2.Add("stableDebt" + s, r.StableDebtToken, AaveV3Abis.Erc20, "balanceOf", users[k]) : -1));
            }

            plans.Add((config, eMode, data, reads));
        }

        await r2.RunAsync(_caller, ct).ConfigureAwait(false);
        foreach (var (id, handle) in newCategories)
        {
            extra[id] = EModeOf(id, r2.Required(handle));
        }

        return plans.Select((p, k) => new AaveV3UserRead(
            users[k],
            p.EMode,
            p.Config,
            p.Reads.Select(x =>
            {
                var r = m.Reserves[x.Reserve];
                var scaledA = x.A < 0 ? BigInteger.Zero : (BigInteger)r2.Required(x.A)[0];
                var scaledV = x.V < 0 ? BigInteger.Zero : (BigInteger)r2.Required(x.V)[0];
                var stable = x.S < 0 ? BigInteger.Zero : (BigInteger)r2.Required(x.S)[0];

                // AToken.balanceOf and VariableDebtToken.balanceOf: scaled.rayMul(index at the block), half up.
                return new AaveV3UserReserve(
                    x.Reserve, r.Token.Symbol, x.Coll, x.Borrow,
                    scaledA, WadRayMath.RayMul(scaledA, r.NormalizedIncome),
                    scaledV, scaledV.IsZero ? BigInteger.Zero : WadRayMath.RayMul(scaledV, r.NormalizedVariableDebt),
                    stable);
            }).ToArray(),
            p.Data)).ToArray();
    }
}
