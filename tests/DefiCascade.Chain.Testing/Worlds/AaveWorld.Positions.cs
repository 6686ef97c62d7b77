using System.Numerics;
using DefiCascade.Core.Math;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Client;
using DefiCascade.Lending.AaveV3;

namespace DefiCascade.Chain.Testing;

/// <summary>Accounts on the deployed market, and the model's view of the market and an account read back from the chain.</summary>
public sealed partial class AaveWorld
{
    private ulong _users;

    /// <summary>A fresh impersonated address with gas money: no nonce is shared with any other account.</summary>
    public async Task<Address> NewUserAsync()
    {
        var user = Address.FromNumber(0xAAAE0000, Interlocked.Increment(ref _users));
        await Eth.ImpersonateAccountAsync(user).ConfigureAwait(false);
        await Eth.SetBalanceAsync(user, BigInteger.Pow(10, 21)).ConfigureAwait(false);
        return user;
    }

    /// <summary>Every reserve's feed at once (MockAggregator storage slot 0), in <see cref="Config"/>'s order.</summary>
    public async Task SetPricesAsync(IReadOnlyList<BigInteger> prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        for (var i = 0; i < prices.Count; i++)
        {
            await SetPriceAsync(i, prices[i]).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens a plan's position at <paramref name="prices"/>: the collateral it does not also borrow is priced up by the
    /// plan's factor while it borrows (no other account moves in between), so the LTV check lets it; the caller sets
    /// the round's prices back afterwards.
    /// </summary>
    public async Task<Address> OpenAsync(AavePlan plan, IReadOnlyList<BigInteger> prices)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(prices);
        var user = await NewUserAsync().ConfigureAwait(false);
        await SetPricesAsync(prices.Select((p, i) => plan.Inflated.Contains(i) ? p * plan.OpenFactorPercent / 100 : p).ToArray()).ConfigureAwait(false);
        if (plan.EMode != 0)
        {
            await SetUserEModeAsync(user, plan.EMode).ConfigureAwait(false);
        }

        foreach (var (asset, amount) in plan.Collateral)
        {
            await SupplyAsync(user, asset, amount).ConfigureAwait(false);
        }

        foreach (var (asset, amount) in plan.Debt)
        {
            await BorrowAsync(user, asset, amount).ConfigureAwait(false);
        }

        return user;
    }

    /// <summary>MintableERC20.mint(uint256) mints to the caller; then approve the pool for <paramref name="approve"/>.</summary>
    public async Task FundAsync(Address user, int asset, BigInteger amount, BigInteger approve)
    {
        var token = Assets[asset].Token;
        await token.SendWithGasAsync(user, Gas, "mint(uint256)", amount).ConfigureAwait(false);
        await token.SendWithGasAsync(user, Gas, "approve", Pool.Address, approve).ConfigureAwait(false);
    }

    public async Task SupplyAsync(Address user, int asset, BigInteger amount)
    {
        await FundAsync(user, asset, amount, amount).ConfigureAwait(false);
        await Pool.SendWithGasAsync(user, Gas, "supply", Assets[asset].Token.Address, amount, user, 0).ConfigureAwait(false);
    }

    /// <summary>Pool.borrow at the variable rate (interestRateMode 2).</summary>
    public Task BorrowAsync(Address user, int asset, BigInteger amount) =>
        Pool.SendWithGasAsync(user, Gas, "borrow", Assets[asset].Token.Address, amount, 2, 0, user);

    public Task SetUserEModeAsync(Address user, int category) => Pool.SendWithGasAsync(user, Gas, "setUserEMode", category);

    public async Task<UserAccountData> AccountDataAsync(Address user)
    {
        var r = await Pool.CallAsync("getUserAccountData", user).ConfigureAwait(false);
        return new UserAccountData((BigInteger)r[0], (BigInteger)r[1], (BigInteger)r[2], (BigInteger)r[3], (BigInteger)r[4], (BigInteger)r[5]);
    }

    /// <summary>AaveOracle.getAssetPrice for every reserve, as the model's oracle.</summary>
    public async Task<ArrayPriceOracle> PricesAsync()
    {
        var prices = new BigInteger[Assets.Count];
        for (var i = 0; i < prices.Length; i++)
        {
            prices[i] = await Oracle.CallUIntAsync("getAssetPrice", Assets[i].Token.Address).ConfigureAwait(false);
        }

        return new ArrayPriceOracle(prices);
    }

    /// <summary>The market as the model sees it, every number read from the chain: configuration, e-mode, indexes.</summary>
    public async Task<AaveV3Market> MarketAsync()
    {
        var reserves = new List<AaveReserve>();
        for (var i = 0; i < Assets.Count; i++)
        {
            var a = Assets[i];
            var t = a.Token.Address;
            var c = await DataProvider.CallAsync("getReserveConfigurationData", t).ConfigureAwait(false);
            var fee = await DataProvider.CallUIntAsync("getLiquidationProtocolFee", t).ConfigureAwait(false);
            var eMode = await DataProvider.CallUIntAsync("getReserveEModeCategory", t).ConfigureAwait(false);
            var paused = (bool)(await DataProvider.CallAsync("getPaused", t).ConfigureAwait(false))[0];
            if ((BigInteger)c[0] != a.Decimals)
            {
                throw new InvalidOperationException($"{a.Symbol}: the pool says {c[0]} decimals, the token {a.Decimals}");
            }

            reserves.Add(new AaveReserve(
                i,
                new Token(a.Symbol, t, a.Decimals),
                (int)(BigInteger)c[1],
                (int)(BigInteger)c[2],
                (int)(BigInteger)c[3],
                (int)fee,
                (int)eMode,
                (bool)c[5],
                (bool)c[6],
                (bool)c[8],
                (bool)c[9],
                paused)
            {
                LiquidityIndex = await Pool.CallUIntAsync("getReserveNormalizedIncome", t).ConfigureAwait(false),
                VariableBorrowIndex = await Pool.CallUIntAsync("getReserveNormalizedVariableDebt", t).ConfigureAwait(false),
            });
        }

        var e = (object[])(await Pool.CallAsync("getEModeCategoryData", EModeId).ConfigureAwait(false))[0];
        var source = (Address)e[3];
        int? sourceReserve = source == Address.Zero ? null : Assets.Select((x, i) => (x, i)).Single(p => p.x.Token.Address == source).i;
        var category = new AaveEMode(EModeId, (string)e[4], (int)(BigInteger)e[0], (int)(BigInteger)e[1], (int)(BigInteger)e[2], sourceReserve);
        return new AaveV3Market("anvil", reserves, [category]);
    }

    /// <summary>
    /// The user as the tokens store it: scaled aToken and variable-debt balances, the user's e-mode, and the collateral
    /// bit of UserConfiguration (bit 2*id+1) where a balance remains but the bit is clear.
    /// </summary>
    public async Task<AaveAccount> AccountAsync(Address user)
    {
        var eMode = (int)await Pool.CallUIntAsync("getUserEMode", user).ConfigureAwait(false);
        var config = (BigInteger)((object[])(await Pool.CallAsync("getUserConfiguration", user).ConfigureAwait(false))[0])[0];
        var account = new AaveAccount(user, eMode, Assets.Count);
        for (var i = 0; i < Assets.Count; i++)
        {
            account.ScaledCollateral[i] = await Assets[i].AToken.CallUIntAsync("scaledBalanceOf", user).ConfigureAwait(false);
            account.ScaledDebt[i] = await Assets[i].VariableDebt.CallUIntAsync("scaledBalanceOf", user).ConfigureAwait(false);
            var collateralBit = !(config >> ((2 * i) + 1) & BigInteger.One).IsZero;
            account.CollateralDisabled[i] = account.ScaledCollateral[i].Sign > 0 && !collateralBit;
        }

        return account;
    }

    /// <summary>A liquidator with effectively unlimited balances of every asset and the pool approved for all of them.</summary>
    public async Task FundLiquidatorAsync(Address liquidator)
    {
        for (var i = 0; i < Assets.Count; i++)
        {
            await FundAsync(liquidator, i, BigInteger.Pow(10, 40), UInt256.Max).ConfigureAwait(false);
        }
    }

    /// <summary>Liquidity for borrowers: a lender supplies 10^12 whole tokens of every asset.</summary>
    public async Task SupplyLiquidityAsync(Address lender)
    {
        for (var i = 0; i < Assets.Count; i++)
        {
            await SupplyAsync(lender, i, Assets[i].Unit * BigInteger.Pow(10, 12)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Liquidity and frozen, non-trivial indexes: the lender supplies 10^12 tokens of each asset and borrows 40-85% of each,
    /// a year passes, every reserve moves to the zero-rate strategy, and a 1-unit supply per reserve accrues the year and
    /// stores rates of zero. The liquidator is funded and approves the pool.
    /// </summary>
    public async Task PrepareAsync(Address lender, Address liquidator)
    {
        await SupplyLiquidityAsync(lender).ConfigureAwait(false);
        for (var i = 0; i < Assets.Count; i++)
        {
            // a different usage per reserve, so that every reserve ends with its own pair of indexes.
            await BorrowAsync(lender, i, Assets[i].Unit * BigInteger.Pow(10, 12) * (40 + (15 * i)) / 100).ConfigureAwait(false);
        }

        var latest = await Eth.Rpc.CallAsync("eth_getBlockByNumber", default, "latest", false).ConfigureAwait(false);
        var now = (ulong)Hex.DecodeQuantity(latest.GetProperty("timestamp").GetString()!);
        await Eth.SetNextBlockTimestampAsync(now + 31_536_000 + 12_345).ConfigureAwait(false);
        await Eth.MineAsync().ConfigureAwait(false);
        for (var i = 0; i < Assets.Count; i++)
        {
            await SendAsync(Configurator, "setReserveInterestRateStrategyAddress", Assets[i].Token.Address, ZeroStrategy).ConfigureAwait(false);
            await SupplyAsync(lender, i, BigInteger.One).ConfigureAwait(false);
        }

        await FundLiquidatorAsync(liquidator).ConfigureAwait(false);
    }

    /// <summary>Pool.liquidationCall; a revert comes back as Aave's error code (e.g. "45"), success as null.</summary>
    public async Task<string?> LiquidateAsync(Address liquidator, int collateral, int debt, Address user, BigInteger debtToCover, bool receiveAToken)
    {
        try
        {
            await Pool.SendWithGasAsync(liquidator, Gas, "liquidationCall", Assets[collateral].Token.Address, Assets[debt].Token.Address, user, debtToCover, receiveAToken).ConfigureAwait(false);
            return null;
        }
        catch (ContractRevertException e)
        {
            return e.Reason;
        }
    }
}
