using System.Numerics;
using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum.Client;

namespace DefiCascade.Replay.Harness;

/// <summary>
/// Funding mode "mint": the token's own public mint(address,uint256) (Aave's MintableERC20, the harness tokens), sent from
/// <paramref name="minter"/> and mined. Real tokens have no such mint; on a fork the mode "deal" writes balances instead.
/// </summary>
public sealed class MintFunding(EthClient eth, Address minter) : IFunding
{
    private readonly List<string> _disclosures = [];

    public IReadOnlyList<string> Disclosures => _disclosures;

    public async Task FundAsync(Address token, Address to, BigInteger amount, CancellationToken ct = default)
    {
        if (amount.Sign <= 0)
        {
            return;
        }

        var data = ChainCalls.Encode("mint(address,uint256)", to, amount);
        try
        {
            await eth.SendTransactionAsync(minter, token, data, gas: 200_000, context: new CallContext("MintableERC20", "mint(address,uint256)"), ct: ct).ConfigureAwait(false);
        }
        catch (ContractRevertException e)
        {
            throw new ReplayChainException($"funding: {token.Hex}.mint(address,uint256) reverted ({e.Message}); --funding mint needs a mintable test token", e);
        }

        _disclosures.Add($"funding (--funding mint): minted {ChainCalls.Text(amount)} base units of {token.Hex} to {to.Hex} with mint(address,uint256)");
    }
}
