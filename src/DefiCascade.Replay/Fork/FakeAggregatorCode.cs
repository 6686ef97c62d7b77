namespace DefiCascade.Replay.Fork;

/// <summary>
/// The runtime code of the settable price feed that <see cref="SourcesOracleDriver"/> installs with anvil_setCode: 78
/// bytes, hand-assembled (no compiler, nothing copied). Storage slot 0 holds the answer, slot 1 the decimals; the
/// driver writes both with anvil_setStorageAt. It answers by the 4-byte selector:
/// <list type="bullet">
/// <item>decimals() 0x313ce567: slot 1 as one 32-byte word.</item>
/// <item>latestRoundData() 0xfeaf968c: (roundId 1, answer = slot 0, startedAt = updatedAt = block.timestamp,
/// answeredInRound 1), five words, so a Chainlink V3 reader never sees a stale round.</item>
/// <item>anything else, latestAnswer() 0x50d25bcd included (what AaveOracle calls), or empty calldata: slot 0 as one word.</item>
/// </list>
/// It never reverts and holds no ETH logic; a value sent to it stays there.
/// </summary>
public static class FakeAggregatorCode
{
    /// <summary>Storage slot of the answer (int256, two's complement as Chainlink's).</summary>
    public const int AnswerSlot = 0;

    /// <summary>Storage slot of the decimals the feed reports.</summary>
    public const int DecimalsSlot = 1;

    /// <summary>The runtime bytecode; offsets in the comments are byte offsets into this array.</summary>
    public static byte[] Runtime() =>
    [
        // 0x00: selector = calldata[0..32] >> 224
        0x60, 0x00,                   // 0x00 PUSH1 0x00         [0]
        0x35,                         // 0x02 CALLDATALOAD       [word]           first 32 bytes of calldata (zero-padded)
        0x60, 0xe0,                   // 0x03 PUSH1 0xe0         [224, word]
        0x1c,                         // 0x05 SHR                [sel]            word >> 224
        0x80,                         // 0x06 DUP1               [sel, sel]
        0x63, 0x31, 0x3c, 0xe5, 0x67, // 0x07 PUSH4 0x313ce567   [dec, sel, sel]  decimals()
        0x14,                         // 0x0c EQ                 [isDec, sel]
        0x60, 0x24,                   // 0x0d PUSH1 0x24         [0x24, isDec, sel]
        0x57,                         // 0x0f JUMPI              [sel]            to the decimals branch when isDec
        0x63, 0xfe, 0xaf, 0x96, 0x8c, // 0x10 PUSH4 0xfeaf968c   [lrd, sel]       latestRoundData()
        0x14,                         // 0x15 EQ                 [isRound]
        0x60, 0x30,                   // 0x16 PUSH1 0x30         [0x30, isRound]
        0x57,                         // 0x18 JUMPI              []               to the round branch when isRound

        // 0x19: default (latestAnswer and everything else): return slot 0
        0x60, 0x00,                   // 0x19 PUSH1 0x00         [0]
        0x54,                         // 0x1b SLOAD              [answer]
        0x60, 0x00,                   // 0x1c PUSH1 0x00         [0, answer]
        0x52,                         // 0x1e MSTORE             []               mem[0x00] = answer
        0x60, 0x20,                   // 0x1f PUSH1 0x20         [32]
        0x60, 0x00,                   // 0x21 PUSH1 0x00         [0, 32]
        0xf3,                         // 0x23 RETURN             mem[0x00..0x20]

        // 0x24: decimals(): return slot 1
        0x5b,                         // 0x24 JUMPDEST           [sel]            the leftover selector is harmless
        0x60, 0x01,                   // 0x25 PUSH1 0x01         [1, sel]
        0x54,                         // 0x27 SLOAD              [decimals, sel]
        0x60, 0x00,                   // 0x28 PUSH1 0x00         [0, decimals, sel]
        0x52,                         // 0x2a MSTORE             [sel]            mem[0x00] = decimals
        0x60, 0x20,                   // 0x2b PUSH1 0x20         [32, sel]
        0x60, 0x00,                   // 0x2d PUSH1 0x00         [0, 32, sel]
        0xf3,                         // 0x2f RETURN             mem[0x00..0x20]

        // 0x30: latestRoundData(): (1, slot 0, timestamp, timestamp, 1)
        0x5b,                         // 0x30 JUMPDEST           []
        0x60, 0x01,                   // 0x31 PUSH1 0x01         [1]
        0x60, 0x00,                   // 0x33 PUSH1 0x00         [0, 1]
        0x52,                         // 0x35 MSTORE             []               mem[0x00] = roundId 1
        0x60, 0x00,                   // 0x36 PUSH1 0x00         [0]
        0x54,                         // 0x38 SLOAD              [answer]
        0x60, 0x20,                   // 0x39 PUSH1 0x20         [0x20, answer]
        0x52,                         // 0x3b MSTORE             []               mem[0x20] = answer
        0x42,                         // 0x3c TIMESTAMP          [ts]
        0x80,                         // 0x3d DUP1               [ts, ts]
        0x60, 0x40,                   // 0x3e PUSH1 0x40         [0x40, ts, ts]
        0x52,                         // 0x40 MSTORE             [ts]             mem[0x40] = startedAt
        0x60, 0x60,                   // 0x41 PUSH1 0x60         [0x60, ts]
        0x52,                         // 0x43 MSTORE             []               mem[0x60] = updatedAt
        0x60, 0x01,                   // 0x44 PUSH1 0x01         [1]
        0x60, 0x80,                   // 0x46 PUSH1 0x80         [0x80, 1]
        0x52,                         // 0x48 MSTORE             []               mem[0x80] = answeredInRound 1
        0x60, 0xa0,                   // 0x49 PUSH1 0xa0         [0xa0]
        0x60, 0x00,                   // 0x4b PUSH1 0x00         [0, 0xa0]
        0xf3,                         // 0x4d RETURN             mem[0x00..0xa0]
    ];
}
