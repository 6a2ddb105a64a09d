// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title MembershipPass
/// @notice One NFT per membership; communities gate access on holding a pass.
contract MembershipPass is ERC721, Ownable {
    uint256 private _nextId = 1;

    constructor() ERC721("Coterie Membership Pass", "CPASS") Ownable(msg.sender) {}

    /// @notice Mints the next free sequential id (ids start at 1, so 0 never means "a pass").
    function mint(address to) external onlyOwner returns (uint256 id) {
        id = _nextId;
        // mintTo may have claimed ids ahead of the counter; skip them instead of reverting.
        while (_ownerOf(id) != address(0)) {
            unchecked {
                ++id;
            }
        }
        _nextId = id + 1;
        // _mint rather than _safeMint: passes are owner-issued, and recipients such as
        // smart wallets must not be able to block issuance.
        _mint(to, id);
    }

    function mintTo(address to, uint256 id) external onlyOwner {
        _mint(to, id);
    }
}
