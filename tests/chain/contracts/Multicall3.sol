// SPDX-License-Identifier: MIT
pragma solidity ^0.8.19;

/// @title Multicall3 (DefiCascade test implementation)
/// @notice Our own implementation of the public Multicall3 interface, so the same adapter code
///         works on a local anvil chain (code placed at 0xcA11bde05977b3631167028862bE2a173976CA11
///         with anvil_setCode) and on a mainnet fork, where the canonical deployment already lives.
///         Only the subset the simulator needs is implemented; selectors and ABI types match the
///         canonical contract, so callers cannot tell the difference for these functions.
contract Multicall3 {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice Performs each call in order. A failing call reverts the whole batch unless its
    ///         allowFailure flag is set, in which case its (false, revert data) is returned.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        uint256 count = calls.length;
        returnData = new Result[](count);
        for (uint256 i = 0; i < count; ++i) {
            Call3 calldata c = calls[i];
            (bool ok, bytes memory data) = c.target.call(c.callData);
            if (!ok && !c.allowFailure) {
                revert("Multicall3: call failed");
            }
            returnData[i] = Result({success: ok, returnData: data});
        }
    }

    /// @notice Current block number.
    function getBlockNumber() external view returns (uint256 blockNumber) {
        blockNumber = block.number;
    }

    /// @notice Current block timestamp.
    function getCurrentBlockTimestamp() external view returns (uint256 timestamp) {
        timestamp = block.timestamp;
    }

    /// @notice Chain id of the executing chain.
    function getChainId() external view returns (uint256 chainid) {
        chainid = block.chainid;
    }

    /// @notice Ether balance of an address, in wei.
    function getEthBalance(address addr) external view returns (uint256 balance) {
        balance = addr.balance;
    }
}
