// Fuzz target for the checkpoint, signed-note and verifier-key parsers (ledger/checkpoint.h).
//
// Besides "no crash, no read past the input" (under ASan), it checks that the parsers accept
// only canonical forms: anything that parses re-serializes to exactly the input bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/ed25519.h"
#include "ledger/checkpoint.h"

namespace {

using namespace ballotbox;

const ledger::note_verifier& fixed_verifier() {
    static const ledger::note_verifier v = [] {
        std::uint8_t seed[32];
        for (int i = 0; i < 32; ++i)
            seed[i] = static_cast<std::uint8_t>(i);
        auto key = crypto::ed25519_private_key::from_seed(seed);
        if (!key.ok())
            std::abort();
        return ledger::note_verifier{"ballotbox.kz/kz-2023-majilis/station/010001/device/56475aa7",
                                     key->public_key()};
    }();
    return v;
}

void check(bool condition) {
    if (!condition)
        std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);

    auto cp = ledger::parse_checkpoint(input);
    if (cp.ok())
        check(cp->note_text() == input);

    auto note = ledger::parse_signed_note(input);
    if (note.ok()) {
        check(note->serialize() == input);
        check(!note->signatures.empty());
        check(note->signatures.size() <= ledger::max_note_signatures);
        auto opened = ledger::open_signed_checkpoint(input, fixed_verifier());
        if (opened.ok())
            check(opened->note_text() == note->text);
    }

    auto vkey = ledger::parse_note_verifier_key(input);
    if (vkey.ok())
        check(ledger::note_verifier_key(vkey->key_name, vkey->key) == input);
    return 0;
}
