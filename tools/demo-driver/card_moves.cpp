#include "tools/demo-driver/card_moves.h"

#include <winscard.h>

#include <algorithm>
#include <thread>

#include "cardio/card_codec.h"
#include "cardio/card_session.h"
#include "tools/cardsim/booth.h"

namespace ballotbox::demo {

using namespace std::chrono_literals;

std::string reader_name(int reader) {
    return "Virtual PCD 00 0" + std::to_string(reader);
}

result<reader_view> reader_view::open() {
    BALLOTBOX_ASSIGN_OR_RETURN(auto context, cardio::pcsc_context::establish());
    return reader_view(std::move(context));
}

bool reader_view::wait(int reader, bool present, std::chrono::milliseconds limit) {
    const std::string name = reader_name(reader);
    SCARD_READERSTATE state{};
    state.szReader = name.c_str();
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        const DWORD timeout = static_cast<DWORD>(std::max<long long>(left.count(), 0));
        const LONG rv = SCardGetStatusChange(context_.handle(), timeout, &state, 1);
        if (rv == SCARD_S_SUCCESS) {
            if (((state.dwEventState & SCARD_STATE_PRESENT) != 0) == present)
                return true;
            state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        } else if (rv != SCARD_E_TIMEOUT) {
            std::this_thread::sleep_for(20ms);
        }
        if (std::chrono::steady_clock::now() >= deadline)
            return false;
    }
}

result<std::unique_ptr<card_in_reader>> card_in_reader::insert(reader_view& view, int reader,
                                                               cardsim::card_image image) {
    if (!view.wait(reader, false, 15s))
        return make_error("demo.reader_busy", reader_name(reader) +
                                                  " still holds a card after 15 s: is another "
                                                  "program using the virtual readers?");
    std::unique_ptr<card_in_reader> c(new card_in_reader());
    c->card_ = std::make_unique<cardsim::virtual_card_connection>(
        cardsim::file_system_card(std::move(image)), cardsim::connection_options{.reader = reader});
    c->card_->insert();
    if (!view.wait(reader, true, 15s))
        return make_error("demo.card_not_seen", "pcscd never saw the card in " +
                                                    reader_name(reader) +
                                                    " (is pcscd running with the vpcd driver?)");
    return c;
}

card_in_reader::~card_in_reader() {
    remove();
}

cardsim::card_image card_in_reader::remove() {
    if (!removed_ && card_) {
        card_->remove();
        last_ = card_->image();
        removed_ = true;
    }
    return last_;
}

cardsim::card_image with_record(const cardio::card_record& record) {
    auto image = cardsim::blank_card_image(cardsim::default_layout()).value();
    const auto encoded = cardio::encode_card_record(record).value();
    std::copy(encoded.begin(), encoded.end(), image.files[0].content.begin());
    return image;
}

cardsim::card_image blank_card() {
    return with_record(cardio::blank_card{});
}

result<cardio::card_record> record_of(const cardsim::card_image& image) {
    return cardio::parse_card_image(image.files.at(0).content);
}

result<cardsim::card_image> vote_at_booth(reader_view& view, cardsim::card_image issued,
                                          const crypto::ed25519_private_key& booth,
                                          const std::vector<cardio::ballot_choice>& choices) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto record, record_of(issued));
    const auto* card = std::get_if<cardio::issued_card>(&record);
    if (!card)
        return make_error("demo.not_issued", "the card brought to the booth is not issued");
    cardsim::booth_request request{.election_id = card->issue.election_id,
                                   .station_id = card->issue.station_id,
                                   .choices = choices};
    BALLOTBOX_ASSIGN_OR_RETURN(auto in_booth,
                               card_in_reader::insert(view, booth_reader, std::move(issued)));
    {
        BALLOTBOX_ASSIGN_OR_RETURN(auto session,
                                   cardio::card_session::open(reader_name(booth_reader)));
        BALLOTBOX_ASSIGN_OR_RETURN(auto voted, cardsim::mark_ballot(*session, booth, request));
        (void)voted;
        BALLOTBOX_TRY(session->close());
    }
    return in_booth->remove();
}

}  // namespace ballotbox::demo
