package io.ferry.cli.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.cli.connection.ServerSentEvents.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsEndAtABlankLineTest {

    private static List<Event> parse(String stream) {
        ServerSentEvents parser = new ServerSentEvents();
        List<Event> events = new ArrayList<>();
        for (String line : stream.split("\n", -1)) {
            parser.line(line).ifPresent(events::add);
        }
        return events;
    }

    @Test
    void each_event_has_its_name_and_data() {
        // given a stream with a comment, two progress events and an id field
        String stream = ": hello\n\nevent: progress\nid: 1\ndata: {\"round\":1}\n\nevent:progress\ndata:{\"round\":2}\n\n";

        // when it is parsed
        List<Event> events = parse(stream);

        // then two events come out, the space after the colon being optional
        assertThat(events).containsExactly(new Event("progress", "{\"round\":1}"), new Event("progress", "{\"round\":2}"));
    }

    @Test
    void data_lines_are_joined_with_newlines_and_crlf_is_accepted() {
        // given an event whose data spans two lines, with CRLF line ends and no name
        String stream = "data: first\r\ndata:  second\r\n\r\n";

        // when it is parsed
        List<Event> events = parse(stream);

        // then the lines are joined, only one leading space is dropped, and the name defaults to message
        assertThat(events).containsExactly(new Event("message", "first\n second"));
    }

    @Test
    void an_event_cut_off_before_its_blank_line_is_dropped() {
        // given a stream that ends in the middle of an event
        String stream = "event: progress\ndata: {\"round\":1}\n\nevent: progress\ndata: {\"round\":2}";

        // when it is parsed
        List<Event> events = parse(stream);

        // then only the complete event is delivered
        assertThat(events).containsExactly(new Event("progress", "{\"round\":1}"));
    }
}
