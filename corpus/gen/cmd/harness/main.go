// harness runs one workload inside a fresh cgroup-v1 memory cgroup and
// captures, every -interval, the raw observability data of the run:
//
//	memstats.jsonl (Go) / jvm_vars.jsonl (Java): {"ts":<unix ms>,"vars":<GET /debug/vars body>}
//	cgroup.jsonl:  {"ts":..,"phase":..,"files":{"memory.stat":"<raw text>",...}}
//	host.jsonl:    {"ts":..,"phase":..,"files":{"/proc/vmstat":"<raw>","/proc/pressure/memory":"<raw>"}}
//	proc.jsonl:    {"ts":..,"pid":..,"files":{"/proc/<pid>/status":"<raw>","/proc/<pid>/smaps_rollup":"<raw>"}}
//	goroutines.jsonl (Go): {"ts":..,"first_line":"goroutine profile: total N"}
//	pprof/heap-<ts>.pb.gz (Go, every -profile-every) and, at the end,
//	heap.pb.gz, heap.txt (?debug=1), goroutines.txt (first line), goroutine.txt (?debug=1)
//	nmt/<ts>.txt, gc_heap_info/<ts>.txt (Java, jcmd every -jcmd-every)
//	dmesg.txt: kernel log lines that appeared during the run (if any)
//	(-kind proc: a process without a managed runtime; only cgroup, host,
//	proc, stdout.log/stderr.log and dmesg.txt are captured)
//	harness.log: what the harness did (and any capture errors)
//	meta.json
//
// The only transformation applied to a captured body is json.Compact on the
// /debug/vars body (whitespace only) so that one record fits on one line.
package main

import (
	"bufio"
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

var (
	caseName     = flag.String("case", "", "case name")
	outDir       = flag.String("out", "", "case output directory (must not exist or be empty)")
	label        = flag.String("label", "", "expected_root_cause label")
	desc         = flag.String("desc", "", "description of the workload")
	kind         = flag.String("kind", "go", "go | java | proc (no runtime endpoint: cgroup, host, proc and dmesg only)")
	limit        = flag.Int64("limit", 512<<20, "cgroup memory.limit_in_bytes")
	duration     = flag.Duration("duration", 60*time.Second, "how long to let the workload run")
	interval     = flag.Duration("interval", time.Second, "sampling interval")
	profileEvery = flag.Duration("profile-every", 15*time.Second, "heap profile snapshot interval (go)")
	jcmdEvery    = flag.Duration("jcmd-every", 4*time.Second, "jcmd snapshot interval (java)")
	cgRoot       = flag.String("cgroup-root", "/sys/fs/cgroup/memory", "cgroup v1 memory controller mount")
	unifiedRoot  = flag.String("unified-root", "/sys/fs/cgroup/unified", "cgroup2 mount (for per-cgroup PSI); empty to skip")
	goTool       = flag.String("go", "/usr/lib/go-1.19/bin/go", "go tool (for go version of the binary)")
	regen        = flag.String("regen", "", "the command that regenerates this case (recorded in meta.json)")
	extraEnv     multiFlag
)

const maxLog = 3 << 20

var hlog *os.File

func logf(format string, a ...any) {
	line := fmt.Sprintf("%s "+format+"\n", append([]any{time.Now().UTC().Format(time.RFC3339Nano)}, a...)...)
	os.Stdout.WriteString(line)
	if hlog != nil {
		hlog.WriteString(line)
	}
}

func fatalf(format string, a ...any) {
	logf("FATAL: "+format, a...)
	os.Exit(1)
}

func nowMs() int64 { return time.Now().UnixMilli() }

type jsonlWriter struct {
	mu sync.Mutex
	f  *os.File
}

func newJSONL(path string) *jsonlWriter {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		fatalf("open %s: %v", path, err)
	}
	return &jsonlWriter{f: f}
}

func (w *jsonlWriter) write(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		logf("marshal: %v", err)
		return
	}
	w.writeRaw(b)
}

func (w *jsonlWriter) writeRaw(b []byte) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.f.Write(b)
	w.f.Write([]byte("\n"))
}

func readFiles(paths []string, key func(string) string) map[string]string {
	m := make(map[string]string, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		m[key(p)] = string(b)
	}
	return m
}

var cgFiles = []string{
	"memory.stat", "memory.usage_in_bytes", "memory.limit_in_bytes", "memory.failcnt",
	"memory.max_usage_in_bytes", "memory.oom_control",
}

type sampler struct {
	pid           int
	cgPath        string
	uniPath       string
	baseURL       string
	client        *http.Client
	vars          *jsonlWriter
	cg            *jsonlWriter
	host          *jsonlWriter
	proc          *jsonlWriter
	gor           *jsonlWriter
	samples       int
	lastProfileMs int64
	varsErrs      int
	procAlive     bool
}

func (s *sampler) cgroupSample(phase string) {
	ts := nowMs()
	paths := make([]string, 0, len(cgFiles)+1)
	for _, f := range cgFiles {
		paths = append(paths, filepath.Join(s.cgPath, f))
	}
	files := readFiles(paths, filepath.Base)
	if s.uniPath != "" {
		for _, f := range []string{"memory.pressure", "io.pressure"} {
			if b, err := os.ReadFile(filepath.Join(s.uniPath, f)); err == nil {
				files["cgroup2:"+f] = string(b)
			}
		}
	}
	s.cg.write(map[string]any{"ts": ts, "phase": phase, "cgroup": s.cgPath, "files": files})
	ts = nowMs()
	hf := readFiles([]string{"/proc/vmstat", "/proc/pressure/memory", "/proc/pressure/io"}, func(p string) string { return p })
	s.host.write(map[string]any{"ts": ts, "phase": phase, "files": hf})
}

func (s *sampler) procSample() {
	ts := nowMs()
	st := fmt.Sprintf("/proc/%d/status", s.pid)
	sr := fmt.Sprintf("/proc/%d/smaps_rollup", s.pid)
	files := readFiles([]string{st, sr}, func(p string) string { return p })
	if len(files) == 0 {
		return
	}
	s.proc.write(map[string]any{"ts": ts, "pid": s.pid, "files": files})
}

func (s *sampler) get(path string, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.baseURL+path, nil)
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return b, nil
}

func (s *sampler) varsSample() {
	if s.vars == nil {
		return
	}
	ts := nowMs()
	body, err := s.get("/debug/vars", 5*time.Second)
	if err != nil {
		s.varsErrs++
		logf("vars: %v", err)
		return
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, body); err != nil {
		s.varsErrs++
		logf("vars compact: %v", err)
		return
	}
	rec := make([]byte, 0, buf.Len()+40)
	rec = append(rec, `{"ts":`...)
	rec = strconv.AppendInt(rec, ts, 10)
	rec = append(rec, `,"vars":`...)
	rec = append(rec, buf.Bytes()...)
	rec = append(rec, '}')
	s.vars.writeRaw(rec)
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// goProfiles snapshots the heap profile (kept per snapshot under pprof/)
// and the goroutine profile. Every snapshot also refreshes the top-level
// heap.pb.gz, heap.txt (?debug=1), goroutines.txt (first line of
// goroutine?debug=1) and goroutine.txt (full ?debug=1), so that a workload
// that dies (e.g. OOM-killed) still leaves its last profiles behind.
func (s *sampler) goProfiles(out string) {
	ts := nowMs()
	if b, err := s.get("/debug/pprof/heap", 20*time.Second); err == nil {
		writeAtomic(filepath.Join(out, "pprof", fmt.Sprintf("heap-%d.pb.gz", ts)), b)
		writeAtomic(filepath.Join(out, "heap.pb.gz"), b)
		s.lastProfileMs = ts
	} else {
		logf("heap profile: %v", err)
	}
	if b, err := s.get("/debug/pprof/heap?debug=1", 20*time.Second); err == nil {
		writeAtomic(filepath.Join(out, "heap.txt"), b)
	} else {
		logf("heap.txt: %v", err)
	}
	if b, err := s.get("/debug/pprof/goroutine?debug=1", 20*time.Second); err == nil {
		first := string(b)
		if i := strings.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		s.gor.write(map[string]any{"ts": ts, "first_line": first})
		writeAtomic(filepath.Join(out, "goroutines.txt"), []byte(first+"\n"))
		if len(b) < maxLog {
			writeAtomic(filepath.Join(out, "goroutine.txt"), b)
		}
	} else {
		logf("goroutine profile: %v", err)
	}
}

func runJcmd(pid int, out, sub string, args ...string) {
	ts := nowMs()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "jcmd", append([]string{strconv.Itoa(pid)}, args...)...)
	b, err := cmd.CombinedOutput()
	if err != nil {
		logf("jcmd %v: %v", args, err)
		if len(b) == 0 {
			return
		}
	}
	os.MkdirAll(filepath.Join(out, sub), 0o755)
	writeAtomic(filepath.Join(out, sub, fmt.Sprintf("%d.txt", ts)), b)
}

func dmesgLines() []string {
	b, err := exec.Command("dmesg").Output()
	if err != nil {
		return nil
	}
	return strings.Split(strings.TrimRight(string(b), "\n"), "\n")
}

func waitAddrFile(path string, alive func() bool, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		if b, err := os.ReadFile(path); err == nil && len(bytes.TrimSpace(b)) > 0 {
			return strings.TrimSpace(string(b)), nil
		}
		if !alive() {
			return "", errors.New("workload exited before publishing its address")
		}
		if !time.Now().Before(deadline) {
			return "", errors.New("timeout waiting for address file")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// truncateIfLarge keeps files below maxLog: the first and last 1.5 MiB of
// whole lines, with one marker line between them; it returns true if it cut.
func truncateIfLarge(path string) bool {
	st, err := os.Stat(path)
	if err != nil || st.Size() < maxLog {
		return false
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	half := int(maxLog / 2)
	head := b[:half]
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 {
		head = head[:i+1]
	}
	tail := b[len(b)-half:]
	if i := bytes.IndexByte(tail, '\n'); i >= 0 {
		tail = tail[i+1:]
	}
	var out bytes.Buffer
	out.Write(head)
	fmt.Fprintf(&out, "[harness: %d bytes removed from the middle of this %d-byte file]\n", len(b)-len(head)-len(tail), len(b))
	out.Write(tail)
	os.WriteFile(path, out.Bytes(), 0o644)
	return true
}

func shellQuote(args []string) string {
	q := make([]string, len(args))
	re := regexp.MustCompile(`^[A-Za-z0-9_./:=@%+,-]+$`)
	for i, a := range args {
		if re.MatchString(a) {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'"'"'`) + "'"
		}
	}
	return strings.Join(q, " ")
}

func main() {
	flag.Var(&extraEnv, "env", "KEY=VALUE added to the workload environment (repeatable)")
	flag.Parse()
	argv := flag.Args()
	if *kind != "go" && *kind != "java" && *kind != "proc" {
		fmt.Fprintln(os.Stderr, "-kind must be go, java or proc")
		os.Exit(2)
	}
	if *caseName == "" || *outDir == "" || *label == "" || len(argv) == 0 {
		fmt.Fprintln(os.Stderr, "usage: harness -case NAME -out DIR -label LABEL [flags] -- workload args...")
		os.Exit(2)
	}
	out, _ := filepath.Abs(*outDir)
	if ents, err := os.ReadDir(out); err == nil && len(ents) > 0 {
		fmt.Fprintf(os.Stderr, "%s exists and is not empty\n", out)
		os.Exit(2)
	}
	for _, d := range []string{out, filepath.Join(out, "pprof")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			fatalf("mkdir: %v", err)
		}
	}
	if *kind != "go" {
		os.Remove(filepath.Join(out, "pprof"))
	}
	var err error
	hlog, err = os.Create(filepath.Join(out, "harness.log"))
	if err != nil {
		fatalf("harness.log: %v", err)
	}

	// cgroup setup
	// a neutral cgroup name (it appears in captured files and in the kernel's
	// OOM report), so that nothing but meta.json names the case
	var rnd [4]byte
	crand.Read(rnd[:])
	cgName := fmt.Sprintf("hc_%x", rnd)
	cgPath := filepath.Join(*cgRoot, cgName)
	if _, err := os.Stat(cgPath); err == nil {
		if err := syscall.Rmdir(cgPath); err != nil {
			fatalf("stale cgroup %s busy: %v", cgPath, err)
		}
	}
	if err := os.Mkdir(cgPath, 0o755); err != nil {
		fatalf("mkdir cgroup: %v", err)
	}
	if err := os.WriteFile(filepath.Join(cgPath, "memory.limit_in_bytes"), []byte(strconv.FormatInt(*limit, 10)), 0o644); err != nil {
		fatalf("set limit: %v", err)
	}
	limB, _ := os.ReadFile(filepath.Join(cgPath, "memory.limit_in_bytes"))
	limitRead, _ := strconv.ParseInt(strings.TrimSpace(string(limB)), 10, 64)
	logf("cgroup %s limit=%d", cgPath, limitRead)
	uniPath := ""
	if *unifiedRoot != "" {
		p := filepath.Join(*unifiedRoot, cgName)
		if _, err := os.Stat(p); err == nil {
			syscall.Rmdir(p)
		}
		if err := os.Mkdir(p, 0o755); err == nil {
			uniPath = p
		} else {
			logf("no cgroup2 child (%v); per-cgroup PSI not captured", err)
		}
	}
	cleanupCgroups := func() {
		for _, p := range []string{cgPath, uniPath} {
			if p == "" {
				continue
			}
			var err error
			for i := 0; i < 50; i++ {
				if err = syscall.Rmdir(p); err == nil {
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
			if err != nil {
				logf("rmdir %s: %v", p, err)
			} else {
				logf("removed cgroup %s", p)
			}
		}
	}

	// workload command: a tiny sh wrapper enters the cgroup(s) and execs the workload.
	addrFile := filepath.Join(os.TempDir(), fmt.Sprintf("dbg-%d.addr", os.Getpid()))
	os.Remove(addrFile)
	wargv := make([]string, len(argv))
	for i, a := range argv {
		a = strings.ReplaceAll(a, "{ADDR_FILE}", addrFile)
		a = strings.ReplaceAll(a, "{CASE_DIR}", out)
		wargv[i] = a
	}
	env := []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8"}
	env = append(env, extraEnv...)
	wrapper := `echo $$ > "$1/cgroup.procs" || exit 97; if [ -n "$2" ]; then echo $$ > "$2/cgroup.procs" || true; fi; shift 2; exec "$@"`
	cmd := exec.Command("/bin/sh", append([]string{"-c", wrapper, "sh", cgPath, uniPath}, wargv...)...)
	cmd.Env = env
	cmd.Dir = out // relative paths in the workload's argv (e.g. -Xlog:gc:file=gc.log) land in the case dir
	stdout, _ := os.Create(filepath.Join(out, "stdout.log"))
	errName := "gctrace.log"
	if *kind != "go" {
		errName = "stderr.log"
	}
	stderr, _ := os.Create(filepath.Join(out, errName))
	cmd.Stdout = stdout
	cmd.Stderr = stderr

	dmesgBefore := dmesgLines()
	vmBefore, _ := os.ReadFile("/proc/vmstat")
	_ = vmBefore

	start := time.Now()
	if err := cmd.Start(); err != nil {
		cleanupCgroups()
		fatalf("start: %v", err)
	}
	pid := cmd.Process.Pid
	logf("started pid %d: %s", pid, shellQuote(wargv))

	var exited sync.WaitGroup
	exited.Add(1)
	var waitErr error
	var exitedAt time.Time
	doneCh := make(chan struct{})
	go func() {
		waitErr = cmd.Wait()
		exitedAt = time.Now()
		close(doneCh)
		exited.Done()
	}()
	alive := func() bool {
		select {
		case <-doneCh:
			return false
		default:
			return true
		}
	}

	s := &sampler{
		pid:     pid,
		cgPath:  cgPath,
		uniPath: uniPath,
		client:  &http.Client{Transport: &http.Transport{DisableKeepAlives: false, MaxIdleConns: 2}},
		cg:      newJSONL(filepath.Join(out, "cgroup.jsonl")),
		host:    newJSONL(filepath.Join(out, "host.jsonl")),
		proc:    newJSONL(filepath.Join(out, "proc.jsonl")),
	}
	if *kind == "go" {
		s.vars = newJSONL(filepath.Join(out, "memstats.jsonl"))
		s.gor = newJSONL(filepath.Join(out, "goroutines.jsonl"))
	} else if *kind == "java" {
		s.vars = newJSONL(filepath.Join(out, "jvm_vars.jsonl"))
	}
	// baseline sample of the (still nearly empty) cgroup and the host
	s.cgroupSample("start")

	tryAddr := func(wait time.Duration) {
		if s.baseURL != "" || *kind == "proc" {
			return
		}
		addr, err := waitAddrFile(addrFile, alive, wait)
		if err != nil {
			if wait > 0 {
				logf("address not yet published: %v", err)
			}
			return
		}
		s.baseURL = "http://" + addr
		logf("workload endpoint %s (after %.2fs)", s.baseURL, time.Since(start).Seconds())
		os.Remove(addrFile)
	}
	tryAddr(3 * time.Second)

	var jwg sync.WaitGroup
	jstop := make(chan struct{})
	if *kind == "java" {
		jwg.Add(1)
		go func() {
			defer jwg.Done()
			t := time.NewTicker(*jcmdEvery)
			defer t.Stop()
			for {
				if !alive() {
					return
				}
				runJcmd(pid, out, "nmt", "VM.native_memory", "summary")
				if !alive() {
					return
				}
				runJcmd(pid, out, "gc_heap_info", "GC.heap_info")
				select {
				case <-t.C:
				case <-jstop:
					return
				case <-doneCh:
					return
				}
			}
		}()
	}

	deadline := start.Add(*duration)
	tick := time.NewTicker(*interval)
	lastProf := time.Now()
	for alive() && time.Now().Before(deadline) {
		tryAddr(0)
		s.cgroupSample("run")
		s.procSample()
		if s.baseURL != "" {
			s.varsSample()
			if *kind == "go" && time.Since(lastProf) >= *profileEvery {
				lastProf = time.Now()
				s.goProfiles(out)
			}
		}
		s.samples++
		select {
		case <-tick.C:
		case <-doneCh:
		}
	}
	tick.Stop()
	terminatedByHarness := false
	if alive() {
		logf("duration reached; final captures")
		s.cgroupSample("final")
		s.procSample()
		if s.baseURL != "" {
			s.varsSample()
			if *kind == "go" {
				s.goProfiles(out)
			}
		}
		close(jstop)
		jwg.Wait()
		if *kind == "java" && alive() {
			runJcmd(pid, out, "nmt", "VM.native_memory", "summary")
			runJcmd(pid, out, "gc_heap_info", "GC.heap_info")
		}
		terminatedByHarness = true
		logf("sending SIGTERM to %d", pid)
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-doneCh:
		case <-time.After(10 * time.Second):
			logf("sending SIGKILL to %d", pid)
			cmd.Process.Kill()
		}
	} else {
		logf("workload exited on its own after %.1fs", time.Since(start).Seconds())
		close(jstop)
	}
	exited.Wait()
	jwg.Wait()
	stdout.Close()
	stderr.Close()
	ps := cmd.ProcessState
	exitInfo := map[string]any{"terminated_by_harness": terminatedByHarness}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok {
		if ws.Signaled() {
			exitInfo["signal"] = ws.Signal().String()
			exitInfo["signal_number"] = int(ws.Signal())
		} else {
			exitInfo["exit_code"] = ws.ExitStatus()
		}
	}
	exitInfo["wait_error"] = fmt.Sprint(waitErr)
	exitInfo["exited_after_s"] = exitedAt.Sub(start).Seconds()
	logf("exit: %v", exitInfo)

	// post-mortem: cgroup counters after the process is gone (oom_control, failcnt, max_usage)
	s.cgroupSample("post_exit")
	time.Sleep(500 * time.Millisecond)
	dmesgAfter := dmesgLines()
	var newK []string
	if len(dmesgAfter) > len(dmesgBefore) {
		newK = dmesgAfter[len(dmesgBefore):]
	}
	if len(newK) > 0 {
		os.WriteFile(filepath.Join(out, "dmesg.txt"), []byte(strings.Join(newK, "\n")+"\n"), 0o644)
	}
	cleanupCgroups()
	os.Remove(addrFile)

	var truncated []string
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".log") || strings.HasSuffix(e.Name(), ".txt")) {
			if truncateIfLarge(filepath.Join(out, e.Name())) {
				truncated = append(truncated, e.Name())
			}
		}
	}

	meta := map[string]any{
		"case":                 *caseName,
		"expected_root_cause":  *label,
		"description":          *desc,
		"cgroup_limit_bytes":   limitRead,
		"cgroup_path":          cgPath,
		"duration_s":           float64(int64(exitedAt.Sub(start).Seconds()*10)) / 10,
		"requested_duration_s": duration.Seconds(),
		"sample_interval_s":    interval.Seconds(),
		"samples":              s.samples,
		"start_unix_ms":        start.UnixMilli(),
		"end_unix_ms":          exitedAt.UnixMilli(),
		"exit":                 exitInfo,
		"workload_argv":        wargv,
		"workload_env":         extraEnv,
		"host": map[string]any{
			"ncpu": runtime.NumCPU(),
		},
	}
	if uname, err := exec.Command("uname", "-r").Output(); err == nil {
		meta["host"].(map[string]any)["kernel"] = strings.TrimSpace(string(uname))
	}
	if mi, err := os.ReadFile("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(mi))
		if sc.Scan() {
			meta["host"].(map[string]any)["meminfo_first_line"] = sc.Text()
		}
	}
	commands := []string{}
	if *regen != "" {
		commands = append(commands, *regen)
	}
	commands = append(commands, shellQuote(os.Args))
	meta["commands"] = commands
	meta["workload_command"] = shellQuote(append(append([]string{"env"}, extraEnv...), wargv...))
	if *kind == "go" {
		if b, err := exec.Command(*goTool, "version", wargv[0]).Output(); err == nil {
			f := strings.Fields(string(b))
			if len(f) >= 2 {
				meta["go_version"] = f[len(f)-1]
			}
		}
	} else if *kind == "java" {
		if b, err := exec.Command("java", "-version").CombinedOutput(); err == nil {
			meta["java_version"] = strings.TrimSpace(string(b))
		}
	}
	if s.lastProfileMs != 0 {
		meta["last_profile_unix_ms"] = s.lastProfileMs
	}
	if len(truncated) > 0 {
		sort.Strings(truncated)
		meta["truncated_files"] = truncated
	}
	mb, _ := json.MarshalIndent(meta, "", "  ")
	os.WriteFile(filepath.Join(out, "meta.json"), append(mb, '\n'), 0o644)
	logf("done")
}
