using System.Numerics;
using DefiCascade.Adapters.Uniswap;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Calls;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Adapters.AaveV3;

/// <summary>
/// Everything <see cref="AaveV3Liquidation"/> needs to answer "what would liquidationCall do for this user at this
/// block", read from the chain and held the way the contracts hold it: the market with each reserve's indexes set to
/// its normalized income / variable debt at the block (so rayMul and rayDiv round exactly as the tokens do), the
/// account as SCALED balances plus stable debt and collateral bits, and the AaveOracle prices. Built only when the
/// model's account data equals the pool's getUserAccountData at the same block.
/// </summary>
/// <param name="CollateralLiquidity">
/// Per reserve, the underlying its aToken holds (the reserve's available liquidity): liquidationCall without
/// receiveAToken transfers the collateral out of it, and reverts in the token when there is not enough.
/// </param>
public sealed record AaveV3LiquidationInputs(
    AaveV3MarketRead MarketRead,
    AaveV3UserRead UserRead,
    AaveV3Market Market,
    AaveAccount Account,
    ArrayPriceOracle Oracle,
    IReadOnlyList<BigInteger> CollateralLiquidity)
{
    public ulong Block => MarketRead.Block;

    /// <summary>The user's account data as the pool answered it (and as the model reproduces it).</summary>
    public UserAccountData AccountData => UserRead.AccountData;

    /// <summary>The reserve index of a token address, or null when the token is not a reserve of this pool.</summary>
    public int? ReserveOf(Address asset)
    {
        for (var i = 0; i < Market.Reserves.Count; i++)
        {
            if (Market.Reserves[i].Token.Address == asset)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads <paramref name="pool"/> (an Aave V3 Pool proxy) and <paramref name="user"/> at <paramref name="block"/>:
    /// Pool.ADDRESSES_PROVIDER, then the market and the one user through <see cref="AaveV3Reader"/>, then the aTokens'
    /// underlying balances. Throws <see cref="ChainReadException"/> naming a failed read,
    /// <see cref="AaveV3CrossCheckException"/> when the model disagrees with getUserAccountData.
    /// </summary>
    public static async Task<AaveV3LiquidationInputs> ReadAsync(IBatchCaller caller, Address pool, Address user, ulong block, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var first = new ReadBatch(block);
        var hProvider = first.Add("Pool", pool, AaveV3Abis.Pool, "ADDRESSES_PROVIDER");
        await first.RunAsync(caller, ct).ConfigureAwait(false);
        var provider = (Address)first.Required(hProvider)[0];
        if (provider == Address.Zero)
        {
            throw new ChainReadException(first.Name(hProvider), "answered the zero address: not an initialized Aave V3 Pool");
        }

        var reader = new AaveV3Reader(caller);
        var market = await reader.ReadMarketAsync(provider, block, ct).ConfigureAwait(false);
        if (market.Pool != pool)
        {
            // a Pool implementation (not the proxy) answers ADDRESSES_PROVIDER too, but holds no reserves or users.
            throw new ChainReadException(
                $"eth_call PoolAddressesProvider.getPool() on {provider.Hex} at block {block}",
                $"answered {market.Pool.Hex}, not {pool.Hex}: give the Pool proxy the provider points to");
        }

        var positions = await reader.ReadPositionsAsync(market, [user], block, ct: ct).ConfigureAwait(false);
        var liquidity = new ReadBatch(block);
        var handles = market.Reserves
            .Select(r => liquidity.Add(r.Token.Symbol, r.Token.Address, AaveV3Abis.Erc20, "balanceOf", r.AToken))
            .ToArray();
        await liquidity.RunAsync(caller, ct).ConfigureAwait(false);
        var available = handles.Select(h => (BigInteger)liquidity.Required(h)[0]).ToArray();
        return Build(market, positions, available);
    }

    /// <summary>
    /// The model from reads already made (the single user of <paramref name="positions"/>), cross-checked against the
    /// account data the pool returned with them.
    /// </summary>
    public static AaveV3LiquidationInputs Build(AaveV3MarketRead market, AaveV3PositionsRead positions, IReadOnlyList<BigInteger> collateralLiquidity)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(collateralLiquidity);
        if (positions.Block != market.Block || positions.Users.Count != 1)
        {
            throw new ArgumentException($"need one user read at the market's block {market.Block}; got {positions.Users.Count} at block {positions.Block}", nameof(positions));
        }

        if (collateralLiquidity.Count != market.Reserves.Count)
        {
            throw new ArgumentException($"need one liquidity per reserve ({market.Reserves.Count}), got {collateralLiquidity.Count}", nameof(collateralLiquidity));
        }

        var userRead = positions.Users[0];
        var model = Model(market, positions.ExtraEModes, userRead.EMode);
        var account = new AaveAccount(userRead.User, userRead.EMode, model.Reserves.Count);
        foreach (var r in userRead.Reserves)
        {
            account.ScaledCollateral[r.Reserve] = r.ScaledATokenBalance;
            account.ScaledDebt[r.Reserve] = r.ScaledVariableDebt;
            account.StableDebt[r.Reserve] = r.StableDebt;

            // the reader reads aTokens only under a set collateral bit; should a balance come without it, it backs nothing.
            account.CollateralDisabled[r.Reserve] = r.ScaledATokenBalance.Sign > 0 && !r.UsingAsCollateral;
        }

        var oracle = new ArrayPriceOracle(market.Reserves.Select(r => r.Price.Price).ToArray());
        var computed = AaveV3Accounting.CalculateUserAccountData(model, account, oracle);
        if (computed != userRead.AccountData)
        {
            throw new AaveV3CrossCheckException(
                $"user {userRead.User.Hex} at block {market.Block}: the exact model on the scaled balances gives health factor {computed.HealthFactor}, "
                + $"Pool.getUserAccountData {userRead.AccountData.HealthFactor} (model {computed}, pool {userRead.AccountData}); "
                + $"this pool does not behave as {AaveV3Version.Name}, so no liquidation answer is given");
        }

        return new AaveV3LiquidationInputs(market, userRead, model, account, oracle, collateralLiquidity.ToArray());
    }

    /// <summary>
    /// The Lending market: configuration as decoded, indexes = normalized income / variable debt at the block.
    /// E-mode categories priced from an asset that is not a reserve cannot be modelled; that is an error only for
    /// the user's own category, the others are left out (they touch no other user's numbers).
    /// </summary>
    private static AaveV3Market Model(AaveV3MarketRead market, IReadOnlyList<AaveV3EModeRead> extraEModes, int userEMode)
    {
        var reserves = market.Reserves.Select((r, i) =>
        {
            var c = r.Configuration;
            return new AaveReserve(
                i,
                r.Token.ToToken(),
                c.LtvBps,
                c.LiquidationThresholdBps,
                c.LiquidationBonusBps,
                c.LiquidationProtocolFeeBps,
                c.EModeCategory,
                c.UsageAsCollateralEnabled,
                c.BorrowingEnabled,
                c.Active,
                c.Frozen,
                c.Paused)
            {
                LiquidityIndex = r.NormalizedIncome,
                VariableBorrowIndex = r.NormalizedVariableDebt,
            };
        }).ToArray();

        var eModes = new List<AaveEMode>();
        foreach (var e in market.EModes.Concat(extraEModes).DistinctBy(e => e.Id).Where(e => e.Id != 0).OrderBy(e => e.Id))
        {
            int? source = null;
            if (e.PriceSource != Address.Zero)
            {
                var index = Array.FindIndex(reserves, r => r.Token.Address == e.PriceSource);
                if (index < 0)
                {
                    if (e.Id == userEMode)
                    {
                        throw new NotSupportedException(
                            $"the user is in e-mode category {e.Id} ('{e.Label}'), priced from {e.PriceSource.Hex}, which is not a reserve of the pool: the model prices from reserves only");
                    }

                    continue;
                }

                source = index;
            }

            eModes.Add(new AaveEMode(e.Id, e.Label, e.LtvBps, e.LiquidationThresholdBps, e.LiquidationBonusBps, source));
        }

        return new AaveV3Market("aave-v3 " + market.Pool.Hex, reserves, eModes);
    }
}
