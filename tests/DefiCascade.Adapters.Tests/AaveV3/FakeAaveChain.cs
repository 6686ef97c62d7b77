using System.Numerics;
using DefiCascade.Adapters.Abi;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Abi;
using DefiCascade.Ethereum.Calls;
using Moq;

namespace DefiCascade.Adapters.Tests.AaveV3;

/// <summary>
/// Contracts as answers keyed by (address, selector), served through a Moq IBatchCaller that records every batch:
/// enough of an Aave V3 market (USDC and WETH reserves) for the reader's stages. A null answer is a revert.
/// </summary>
internal sealed class FakeAaveChain
{
    public static readonly Address Provider = Addr(0x01);
    public static readonly Address Pool = Addr(0x02);
    public static readonly Address Oracle = Addr(0x03);
    public static readonly Address Usdc = Addr(0x10);
    public static readonly Address Weth = Addr(0x11);
    public static readonly Address User = Addr(0xAB);
    public static readonly BigInteger Ray = BigInteger.Pow(10, 27);

    private readonly Dictionary<(Address, string), (AbiFunction Function, Func<object[], object[]?> Answer)> _answers = new();

    public FakeAaveChain()
    {
        Caller = new Mock<IBatchCaller>(MockBehavior.Strict);
        Caller.Setup(c => c.CallAsync(It.IsAny<IReadOnlyList<EthCall>>(), It.IsAny<ulong>(), It.IsAny<CancellationToken>()))
            .Returns((IReadOnlyList<EthCall> calls, ulong block, CancellationToken _) =>
            {
                Batches.Add((calls.Count, block));
                return Task.FromResult(calls.Select(Answer).ToArray());
            });
    }

    public Mock<IBatchCaller> Caller { get; }

    public List<(int Calls, ulong Block)> Batches { get; } = [];

    public static Address Addr(int n) => Address.FromNumber(0, (ulong)n);

    public static BigInteger Config(int ltv, int lt, int bonus, int decimals, int reserveFactor, int fee, int eMode) =>
        ltv | ((BigInteger)lt << 16) | ((BigInteger)bonus << 32) | ((BigInteger)decimals << 48)
        | (BigInteger.One << 56) | (BigInteger.One << 58) | ((BigInteger)reserveFactor << 64) | ((BigInteger)fee << 152) | ((BigInteger)eMode << 168);

    public void On(Address to, string abiFile, string function, Func<object[], object[]?> answer)
    {
        var f = AdapterAbis.Get(abiFile).Abi.Function(function);
        _answers[(to, Convert.ToHexString(f.Selector))] = (f, answer);
    }

    /// <summary>
    /// USDC (id 0, 6 decimals, $1, LTV 77% / LT 80%, e-mode 1) and WETH (id 1, 18 decimals, $2000, LTV 80% / LT 82.5%);
    /// WETH's income index 1.1e27, USDC's variable debt index 1.05e27; category 1 "stables" priced from USDC.
    /// </summary>
    public FakeAaveChain WithMarket(BigInteger? wethPrice = null)
    {
        On(Provider, "AaveV3PoolAddressesProvider", "getPool", _ => [Pool]);
        On(Provider, "AaveV3PoolAddressesProvider", "getPriceOracle", _ => [Oracle]);
        On(Pool, "AaveV3Pool", "getReservesList", _ => [new object[] { Usdc, Weth }]);
        On(Pool, "AaveV3Pool", "POOL_REVISION", _ => [BigInteger.One]);
        On(Oracle, "AaveV3Oracle", "BASE_CURRENCY", _ => [Address.Zero]);
        On(Oracle, "AaveV3Oracle", "BASE_CURRENCY_UNIT", _ => [BigInteger.Pow(10, 8)]);
        Reserve(Usdc, 0, "USDC", 6, Config(7700, 8000, 10450, 6, 1000, 1000, 1), Ray, Ray * 105 / 100, BigInteger.Pow(10, 8));
        Reserve(Weth, 1, "WETH", 18, Config(8000, 8250, 10500, 18, 1000, 1000, 0), Ray * 11 / 10, Ray, wethPrice ?? 2000 * BigInteger.Pow(10, 8));
        On(Pool, "AaveV3Pool", "getEModeCategoryData", a => (BigInteger)a[0] == 1 ? [new object[] { 9000, 9300, 10300, Usdc, "stables" }] : null);
        return this;
    }

    /// <summary>Serves one user's configuration, e-mode, balances and the account data the pool would report.</summary>
    public FakeAaveChain WithUser(Address user, BigInteger configuration, BigInteger scaledAWeth, BigInteger scaledDebtUsdc, BigInteger[] accountData)
    {
        On(Pool, "AaveV3Pool", "getUserConfiguration", a => (Address)a[0] == user ? [new object[] { configuration }] : null);
        On(Pool, "AaveV3Pool", "getUserEMode", _ => [BigInteger.Zero]);
        On(Pool, "AaveV3Pool", "getUserAccountData", _ => accountData.Cast<object>().ToArray());
        On(Token(Weth, 'a'), "AaveV3ScaledBalanceToken", "scaledBalanceOf", _ => [scaledAWeth]);
        On(Token(Usdc, 'v'), "AaveV3ScaledBalanceToken", "scaledBalanceOf", _ => [scaledDebtUsdc]);
        On(Token(Usdc, 's'), "Erc20", "balanceOf", _ => [BigInteger.Zero]);
        return this;
    }

    /// <summary>The aToken ('a'), stable ('s') or variable ('v') debt token of an asset in this fake.</summary>
    public static Address Token(Address asset, char kind) => Address.FromNumber(kind, ulong.Parse(asset.Hex[^8..], System.Globalization.NumberStyles.HexNumber, null));

    private void Reserve(Address asset, int id, string symbol, int decimals, BigInteger config, BigInteger income, BigInteger debtIndex, BigInteger price)
    {
        bool Is(object[] a) => (Address)a[0] == asset;
        var prev = _answers.GetValueOrDefault((Pool, Convert.ToHexString(AdapterAbis.Get("AaveV3Pool").Abi.Function("getReserveData").Selector))).Answer;
        On(Pool, "AaveV3Pool", "getReserveData", a => Is(a)
            ? [new object[] { new object[] { config }, income, 0, debtIndex, 0, 0, 0, id, Token(asset, 'a'), Token(asset, 's'), Token(asset, 'v'), Addr(0x99), 0, 0, 0 }]
            : prev?.Invoke(a));
        Chain(Pool, "getConfiguration", a => Is(a) ? [new object[] { config }] : null);
        Chain(Pool, "getReserveNormalizedIncome", a => Is(a) ? [income] : null);
        Chain(Pool, "getReserveNormalizedVariableDebt", a => Is(a) ? [debtIndex] : null);
        Chain(Oracle, "getAssetPrice", a => Is(a) ? [price] : null, "AaveV3Oracle");
        Chain(Oracle, "getSourceOfAsset", a => Is(a) ? [Address.Zero] : null, "AaveV3Oracle");
        On(asset, "Erc20", "symbol", _ => [symbol]);
        On(asset, "Erc20", "decimals", _ => [decimals]);
        foreach (var kind in "asv")
        {
            On(Token(asset, kind), "Erc20", "totalSupply", _ => [BigInteger.Pow(10, decimals + 6)]);
        }
    }

    /// <summary>Adds an answer for another argument without losing the ones already set for the function.</summary>
    private void Chain(Address to, string function, Func<object[], object[]?> answer, string abiFile = "AaveV3Pool")
    {
        var f = AdapterAbis.Get(abiFile).Abi.Function(function);
        var prev = _answers.GetValueOrDefault((to, Convert.ToHexString(f.Selector))).Answer;
        _answers[(to, Convert.ToHexString(f.Selector))] = (f, a => answer(a) ?? prev?.Invoke(a));
    }

    private EthCallResult Answer(EthCall call)
    {
        if (!_answers.TryGetValue((call.To, Convert.ToHexString(call.Data, 0, 4)), out var entry))
        {
            return new EthCallResult(false, []);
        }

        var args = AbiCodec.Decode(entry.Function.InputTypes, call.Data.AsSpan(4));
        var outputs = entry.Answer(args);
        return outputs is null ? new EthCallResult(false, []) : new EthCallResult(true, AbiCodec.Encode(entry.Function.OutputTypes, outputs));
    }
}
