package io.ferry.hypervisor.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ferry.hypervisor.Hypervisor.VmSpec;
import io.ferry.hypervisor.simulated.workload.ContentMix;
import io.ferry.hypervisor.simulated.workload.GuestWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadsWriteAtTheirRateAndShapeTest {
    private static final int MEMORY_MB = 16; // 4096 pages
    private final List<SimulatedVm> vms = new ArrayList<>();

    @AfterEach
    void close() {
        vms.forEach(SimulatedVm::close);
    }

    // All pages used at boot, so what is measured is the workload's pace, not the host's first-touch page faults.
    private SimulatedVm boot(String workload) {
        VmSpec spec = new VmSpec("VM-" + vms.size(), MEMORY_MB, 2, "00:15:5d:00:00:01", "/d/vm.vhdx", List.of());
        SimulatedVm vm = SimulatedVm.boot(spec, 1.0, ContentMix.DEFAULT, GuestWorkload.parse(workload), null, 7);
        vms.add(vm);
        return vm;
    }

    private static double writesPerSecond(SimulatedVm vm, long millis) throws InterruptedException {
        long writes = vm.writes();
        long started = System.nanoTime();
        Thread.sleep(millis);
        return (vm.writes() - writes) * 1e9 / (System.nanoTime() - started);
    }

    @ParameterizedTest
    @ValueSource(longs = {1_000, 20_000, 200_000})
    void a_uniform_guest_writes_at_its_rate(long rate) throws Exception {
        // given a guest running uniform:N, past its start
        SimulatedVm vm = boot("uniform:" + rate);
        Thread.sleep(100);

        // when its writes are counted for a second
        double measured = writesPerSecond(vm, 1_000);

        // then they come at N a second, within 10 %
        assertThat(measured).isCloseTo(rate, within(rate * 0.10));
    }

    @Test
    void a_hotset_guest_puts_its_share_of_writes_into_its_hot_pages() throws Exception {
        // given a guest running hotset at the default 5 % of pages taking 95 % of writes
        SimulatedVm vm = boot("hotset:20000");
        int pages = vm.memory().pages();
        int hot = vm.workload().hotPages(pages);
        Thread.sleep(50);

        // when the pages it dirties in half a second are harvested
        vm.memory().clearDirtyLog();
        long before = vm.writes();
        Thread.sleep(500);
        long[] dirty = vm.memory().harvestDirty();
        long writes = vm.writes() - before;

        // then nearly every hot page was written, and at most 10 % of the writes can have gone to other pages
        long hotDirty = 0;
        long coldDirty = 0;
        for (int page = 0; page < pages; page++) {
            if ((dirty[page >>> 6] & 1L << (page & 63)) != 0) {
                if (page < hot) {
                    hotDirty++;
                } else {
                    coldDirty++;
                }
            }
        }
        assertThat(hot).isEqualTo(205);
        assertThat(writes).isGreaterThan(5_000);
        assertThat(hotDirty).isGreaterThanOrEqualTo(hot * 9 / 10);
        assertThat(coldDirty).isLessThanOrEqualTo(writes / 10);
    }

    @Test
    void the_hotset_page_picker_sends_the_configured_share_to_the_hot_pages() {
        // given the page picker of hotset with 10 % of the pages taking 90 % of the writes
        GuestWorkload workload = GuestWorkload.parse("hotset:1000:0.1:0.9");
        GuestWorkload.PagePicker picker = workload.pages(10_000, new SplittableRandom(1));

        // when it picks 100 000 pages
        int hotPicks = 0;
        for (int i = 0; i < 100_000; i++) {
            if (picker.next() < 1_000) {
                hotPicks++;
            }
        }

        // then 90 % of them are hot
        assertThat(workload.hotPages(10_000)).isEqualTo(1_000);
        assertThat(hotPicks / 100_000.0).isCloseTo(0.9, within(0.01));
    }

    @Test
    void throttling_at_50_percent_halves_the_write_rate() throws Exception {
        // given a guest writing 20 000 times a second
        SimulatedVm vm = boot("uniform:20000");
        Thread.sleep(100);

        // when auto-converge takes half its CPU time
        vm.throttle(50);
        Thread.sleep(50);
        double throttled = writesPerSecond(vm, 1_000);

        // then it writes half as fast, and at full rate again once the throttle is lifted
        assertThat(vm.throttlePercent()).isEqualTo(50);
        assertThat(throttled).isCloseTo(10_000, within(1_000.0));
        vm.throttle(0);
        Thread.sleep(50);
        assertThat(writesPerSecond(vm, 1_000)).isCloseTo(20_000, within(2_000.0));
    }

    @Test
    void throttling_slows_a_write_heavy_guest_too() throws Exception {
        // given a guest writing as fast as it can
        SimulatedVm vm = boot("heavy");
        Thread.sleep(200);
        double free = writesPerSecond(vm, 500);

        // when auto-converge takes 90 % of its CPU time
        vm.throttle(90);
        Thread.sleep(50);
        double throttled = writesPerSecond(vm, 500);

        // then it writes far less (about a tenth; cache effects and a busy host blur the exact share)
        assertThat(free).isGreaterThan(100_000); // millions on an idle host
        assertThat(throttled).isLessThan(free / 2);
    }

    @Test
    void an_idle_guest_writes_nothing() throws Exception {
        // given an idle guest that used its memory at boot
        SimulatedVm vm = boot("idle");
        vm.memory().clearDirtyLog();

        // when it runs for a while
        Thread.sleep(200);

        // then it has written nothing
        assertThat(vm.writes()).isZero();
        assertThat(vm.memory().dirtyCount()).isZero();
    }

    @Test
    void a_paused_guest_writes_nothing_until_it_is_resumed() throws Exception {
        // given a guest paused while writing
        SimulatedVm vm = boot("sweep:50000");
        Thread.sleep(50);
        vm.pause();
        long writes = vm.writes();
        vm.memory().clearDirtyLog();

        // when time passes, then it is resumed
        Thread.sleep(200);
        long writesWhilePaused = vm.writes() - writes;
        long dirtyWhilePaused = vm.memory().dirtyCount();
        vm.resume();
        Thread.sleep(200);

        // then nothing was written while it was paused, and it writes again once resumed
        assertThat(writesWhilePaused).isZero();
        assertThat(dirtyWhilePaused).isZero();
        assertThat(vm.writes() - writes).isGreaterThan(5_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bogus", "uniform", "uniform:fast", "uniform:0", "hotset:1000:2", "hotset:1000:0.1:0.9:1", "idle:5",
            "sweep:-3", ""})
    void a_bad_workload_spec_is_rejected_naming_it_and_the_accepted_forms(String spec) {
        // given a spec that is not a workload, when it is parsed, then it fails naming the spec and the accepted forms
        assertThatThrownBy(() -> GuestWorkload.parse(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + spec + "'")
                .hasMessageContaining("idle, uniform:N, hotset:N[:FRACTION[:SHARE]], sweep:N, heavy");
    }

    @Test
    void every_accepted_form_parses_to_its_canonical_spec() {
        // given each accepted form, when it is parsed, then it reads back as the spec it came from
        assertThat(GuestWorkload.parse("idle").toString()).isEqualTo("idle");
        assertThat(GuestWorkload.parse("uniform:2000").toString()).isEqualTo("uniform:2000");
        assertThat(GuestWorkload.parse("HotSet:20000").toString()).isEqualTo("hotset:20000:0.05:0.95");
        assertThat(GuestWorkload.parse("hotset:20000:0.1:0.8").toString()).isEqualTo("hotset:20000:0.1:0.8");
        assertThat(GuestWorkload.parse("sweep:100").toString()).isEqualTo("sweep:100");
        assertThat(GuestWorkload.parse("heavy").unlimited()).isTrue();
        assertThat(GuestWorkload.parse("heavy:300000").toString()).isEqualTo("heavy:300000");
    }
}
