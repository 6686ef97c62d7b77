using DefiCascade.Core.Primitives;
using DefiCascade.Ethereum;
using DefiCascade.Ethereum.Logs;

namespace DefiCascade.Adapters.AaveV3;

public sealed partial class AaveV3Reader
{
    /// <summary>
    /// Topic0 of IPool's Supply(address indexed reserve, address user, address indexed onBehalfOf, uint256 amount,
    /// uint16 indexed referralCode) and Borrow(address indexed reserve, address user, address indexed onBehalfOf,
    /// uint256 amount, uint8 interestRateMode, uint256 borrowRate, uint16 indexed referralCode), as in
    /// contracts/interfaces/IPool.sol of @aave/core-v3 1.19.3 (the enum is a uint8 in the signature).
    /// </summary>
    public static readonly byte[] SupplyTopic = Keccak.Hash256("Supply(address,address,address,uint256,uint16)");

    /// <inheritdoc cref="SupplyTopic"/>
    public static readonly byte[] BorrowTopic = Keccak.Hash256("Borrow(address,address,address,uint256,uint8,uint256,uint16)");

    /// <summary>
    /// Users of <paramref name="pool"/>: the onBehalfOf (topic 2) of its Supply and Borrow events in
    /// [<paramref name="fromBlock"/>, <paramref name="toBlock"/>], sorted by address. Every account that can owe debt
    /// appears in a Borrow event (debt tokens do not transfer; flash loans left open as debt emit Borrow too), so
    /// discovery from the pool's deployment block misses no borrower. After each scanned chunk
    /// <paramref name="onChunk"/> gets the chunk and every user known so far (sorted), so a caller can checkpoint
    /// ScannedThrough and the users, and resume with <paramref name="knownUsers"/> from ScannedThrough + 1.
    /// </summary>
    public async Task<IReadOnlyList<Address>> DiscoverUsersAsync(
        Address pool,
        ulong fromBlock,
        ulong toBlock,
        Func<LogChunk, IReadOnlyList<Address>, CancellationToken, Task>? onChunk = null,
        IEnumerable<Address>? knownUsers = null,
        CancellationToken ct = default)
    {
        var logs = _logs ?? throw new InvalidOperationException("this reader was built without an ILogSource: give users from a file (UsersFile.Parse) instead");
        if (fromBlock > toBlock)
        {
            throw new ArgumentOutOfRangeException(nameof(fromBlock), fromBlock, $"the range [{fromBlock}, {toBlock}] is empty");
        }

        var users = new HashSet<Address>(knownUsers ?? []);
        var filter = new LogFilter([pool], [SupplyTopic, BorrowTopic]);
        await logs.ScanAsync(
            filter,
            fromBlock,
            toBlock,
            async (chunk, token) =>
            {
                foreach (var log in chunk.Logs)
                {
                    if (OnBehalfOf(log, pool) is { } user)
                    {
                        users.Add(user);
                    }
                }

                if (onChunk is not null)
                {
                    await onChunk(chunk, UsersFile.Sorted(users), token).ConfigureAwait(false);
                }
            },
            ct).ConfigureAwait(false);
        return UsersFile.Sorted(users);
    }

    /// <summary>The onBehalfOf of a Supply or Borrow log of <paramref name="pool"/>; null for any other log.</summary>
    public static Address? OnBehalfOf(ChainLog log, Address pool)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Address != pool || log.Topics.Count < 3
            || !(log.Topics[0].AsSpan().SequenceEqual(SupplyTopic) || log.Topics[0].AsSpan().SequenceEqual(BorrowTopic)))
        {
            return null;
        }

        var topic = log.Topics[2];
        if (topic.Length != 32 || topic.AsSpan(0, 12).ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"log {log.LogIndex} of transaction {log.TransactionHash} (block {log.BlockNumber}): topic 2 is not an address");
        }

        return Address.Parse(Hex.Encode(topic.AsSpan(12)));
    }
}
