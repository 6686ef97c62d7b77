using System.Numerics;
using DefiCascade.Core.Primitives;

namespace DefiCascade.Ethereum.Client;

/// <summary>Anvil's cheat methods (CHAIN.md): code and storage writes, mining, time, impersonation, state snapshots.</summary>
public sealed partial class EthClient
{
    public Task SetCodeAsync(Address account, byte[] code, CancellationToken ct = default) =>
        Rpc.CallAsync("anvil_setCode", ct, account.Hex, Hex.Encode(code));

    /// <summary>Writes a raw 32-byte storage word (e.g. slot 0 of a MockAggregator to move its price).</summary>
    public Task SetStorageAtAsync(Address account, BigInteger slot, BigInteger value, CancellationToken ct = default)
    {
        var word = value.Sign < 0 ? (BigInteger.One << 256) + value : value;
        var bytes = word.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "a storage word holds 32 bytes");
        }

        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return Rpc.CallAsync("anvil_setStorageAt", ct, account.Hex, Hex.EncodeQuantity(slot), Hex.Encode(padded));
    }

    public Task SetBalanceAsync(Address account, BigInteger wei, CancellationToken ct = default) =>
        Rpc.CallAsync("anvil_setBalance", ct, account.Hex, Hex.EncodeQuantity(wei));

    public Task MineAsync(ulong blocks = 1, CancellationToken ct = default) =>
        Rpc.CallAsync("anvil_mine", ct, Hex.EncodeQuantity(blocks));

    /// <summary>Pins the next block's timestamp: anvil otherwise follows the wall clock and interest drifts (CHAIN.md).</summary>
    public Task SetNextBlockTimestampAsync(ulong unixSeconds, CancellationToken ct = default) =>
        Rpc.CallAsync("evm_setNextBlockTimestamp", ct, Hex.EncodeQuantity(unixSeconds));

    public Task ImpersonateAccountAsync(Address account, CancellationToken ct = default) =>
        Rpc.CallAsync("anvil_impersonateAccount", ct, account.Hex);

    public Task StopImpersonatingAccountAsync(Address account, CancellationToken ct = default) =>
        Rpc.CallAsync("anvil_stopImpersonatingAccount", ct, account.Hex);

    /// <summary>The whole chain state as anvil's gzipped-JSON hex; feed it to <see cref="LoadStateAsync"/>.</summary>
    public async Task<string> DumpStateAsync(CancellationToken ct = default) =>
        (await Rpc.CallAsync("anvil_dumpState", ct).ConfigureAwait(false)).GetString()
        ?? throw new InvalidOperationException("anvil_dumpState returned no state");

    public Task LoadStateAsync(string stateHex, CancellationToken ct = default) =>
        Rpc.CallAsync("anvil_loadState", ct, stateHex);
}
