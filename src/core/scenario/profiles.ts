/**
 * How an operating system's TCP plays a scenario: the timers and retry counts the simulator takes from it. `rfc` is
 * RFC 9293 and RFC 6298 as the simulator has always played them. Every figure names where it comes from; a figure
 * that could not be sourced is left out, and the profile plays the RFC's there (said in `unsourced`).
 */
export type ProfileName = 'rfc' | 'linux' | 'windows' | 'macos';

export const PROFILE_NAMES: readonly ProfileName[] = ['rfc', 'linux', 'windows', 'macos'];

/** A number and where it comes from. */
export interface Figure {
  value: number;
  source: string;
}

export interface Profile {
  name: ProfileName;
  label: string;
  /** How long TIME_WAIT lasts, seconds. */
  timeWait: Figure;
  /** The first retransmission timeout, seconds; it doubles on each retry. */
  initialRto: Figure;
  /** The longest the timeout grows to, seconds. */
  maxRto: Figure;
  /** Retransmissions of a SYN before connect gives up. */
  synRetries: Figure;
  /** Of those, how many come one initial timeout apart before the timeout starts doubling. */
  synLinearRetries: Figure;
  /** Retransmissions of a SYN,ACK before the embryonic connection is dropped. */
  synAckRetries: Figure;
  /** Retransmissions of data or a FIN before the connection is given up. */
  dataRetries: Figure;
  /** A connect gives up this long after its first SYN, whatever the retries (macOS's keepinit), seconds. */
  connectTimeout?: Figure;
  /**
   * Linux counts a SYN's retries in time: it retries while less than this has passed since the first SYN, and gives
   * up at the first timeout past it (so `synRetries` is not a count there), seconds.
   */
  synRetryTime?: Figure;
  /**
   * The round-trip time is measured and the timeout is SRTT + max(4×RTTVAR, this), seconds (RFC 6298 (2.2)–(2.4) with
   * the profile's minimum); without it every timeout starts from `initialRto`.
   */
  minRto?: Figure;
  /**
   * The ACK of a FIN that moves the receiver to CLOSE_WAIT waits this long for the application's answer to ride on it
   * (a delayed ACK), seconds, where data came before the FIN (before any, Linux's delayed-ACK timeout is zero); other
   * ACKs go at once, as at a connection's start.
   */
  delayedAck?: Figure;
  /** Bytes of TCP options in every segment after the SYN (timestamps), taken from the MSS for data. */
  optionBytes?: Figure;
  /**
   * How often at most it answers a segment it cannot accept (out of the window, a challenge ACK), seconds: RFC 5961
   * §7 asks for a limit; two endpoints that cannot accept each other's segments would otherwise answer for ever.
   */
  invalidAckInterval: Figure;
  /**
   * Figures the profile states but the simulator does not play: a lesson gives its own keep-alive time, and the
   * scenario language's close is RFC 9293's CLOSE, which keeps receiving, so no connection is left orphaned.
   */
  stated: {
    keepAliveIdle?: Figure;
    keepAliveInterval?: Figure;
    keepAliveProbes?: Figure;
    /** How long an orphaned connection (closed by its application) waits in FIN_WAIT_2. */
    finWait2Timeout?: Figure;
  };
  /** The parameters above that no source could be found for, so the RFC's are used. */
  unsourced: string[];
}

const RFC: Profile = {
  name: 'rfc',
  label: 'RFC 9293',
  timeWait: { value: 240, source: 'RFC 9293 §3.4.2: MSL is 2 minutes; TIME_WAIT lasts 2×MSL (MUST-13)' },
  initialRto: { value: 1, source: 'RFC 6298 (2.1): the initial RTO is 1 s' },
  maxRto: { value: 60, source: 'RFC 6298 (2.5): a maximum may be placed on the RTO provided it is at least 60 s' },
  synRetries: { value: 6, source: 'the simulator\'s own, to keep lessons short (RFC 9293 §3.8.3 asks that a SYN be retried for at least 3 minutes)' },
  synLinearRetries: { value: 0, source: 'RFC 6298 (5.5): the RTO doubles on each retransmission' },
  synAckRetries: { value: 6, source: 'the simulator\'s own, as for a SYN' },
  dataRetries: { value: 6, source: 'the simulator\'s own, to keep lessons short (RFC 9293 §3.8.3 asks for at least 100 s)' },
  invalidAckInterval: { value: 0.5, source: 'the simulator\'s own, as Linux\'s tcp_invalid_ratelimit (RFC 5961 §7 asks for a limit and gives no figure)' },
  stated: {
    keepAliveIdle: { value: 7200, source: 'RFC 1122 §4.2.3.6: the keep-alive interval MUST default to no less than two hours' },
  },
  unsourced: [],
};

/**
 * Linux's defaults, as its source and documentation give them; each is also what a real 6.18 kernel reads in
 * /proc/sys/net/ipv4 (a test on Linux checks that).
 */
const LINUX: Profile = {
  name: 'linux',
  label: 'Linux',
  timeWait: { value: 60, source: 'include/net/tcp.h: TCP_TIMEWAIT_LEN (60*HZ)' },
  initialRto: { value: 1, source: 'include/net/tcp.h: TCP_TIMEOUT_INIT (1*HZ)' },
  maxRto: { value: 120, source: 'include/net/tcp.h: TCP_RTO_MAX (120*HZ); sysctl tcp_rto_max_ms = 120000' },
  synRetries: { value: 6, source: 'Documentation/networking/ip-sysctl.rst: tcp_syn_retries, default 6' },
  synRetryTime: { value: 127, source: 'Documentation/networking/ip-sysctl.rst, tcp_syn_retries: "the final timeout for an active TCP connection attempt will happen after 127 seconds" (net/ipv4/tcp_timer.c: tcp_model_timeout)' },
  synLinearRetries: { value: 4, source: 'Documentation/networking/ip-sysctl.rst: tcp_syn_linear_timeouts, default 4 (Linux 6.5 and later)' },
  synAckRetries: { value: 5, source: 'Documentation/networking/ip-sysctl.rst: tcp_synack_retries, default 5' },
  dataRetries: { value: 15, source: 'Documentation/networking/ip-sysctl.rst: tcp_retries2, default 15' },
  minRto: { value: 0.2, source: 'include/net/tcp.h: TCP_RTO_MIN (HZ/5); net/ipv4/tcp_input.c: tcp_rtt_estimator and __tcp_set_rto, RTO = SRTT + max(4×RTTVAR, TCP_RTO_MIN)' },
  delayedAck: { value: 0.04, source: 'include/net/tcp.h: TCP_DELACK_MIN (HZ/25); net/ipv4/tcp_input.c: tcp_fin enters ping-pong (delayed ACK) mode on a FIN in ESTABLISHED, while data at a connection\'s start is ACKed at once (quick ACKs, TCP_MAX_QUICKACKS 16)' },
  invalidAckInterval: { value: 0.5, source: 'Documentation/networking/ip-sysctl.rst: tcp_invalid_ratelimit, default 500 ms (challenge ACKs too; the global tcp_challenge_ack_limit is off by default in recent kernels)' },
  stated: {
    keepAliveIdle: { value: 7200, source: 'Documentation/networking/ip-sysctl.rst: tcp_keepalive_time, default 7200 s' },
    keepAliveInterval: { value: 75, source: 'Documentation/networking/ip-sysctl.rst: tcp_keepalive_intvl, default 75 s' },
    keepAliveProbes: { value: 9, source: 'Documentation/networking/ip-sysctl.rst: tcp_keepalive_probes, default 9' },
    finWait2Timeout: { value: 60, source: 'Documentation/networking/ip-sysctl.rst: tcp_fin_timeout, default 60 s, for orphaned connections' },
  },
  optionBytes: { value: 12, source: 'Documentation/networking/ip-sysctl.rst: tcp_timestamps, default 1; include/net/tcp.h: TCPOLEN_TSTAMP_ALIGNED 12 (RFC 7323\'s 10-byte option, padded)' },
  unsourced: [],
};

/** Windows: only what Microsoft documents as a default. */
const WINDOWS: Profile = {
  ...RFC,
  name: 'windows',
  label: 'Windows',
  timeWait: { value: 240, source: 'Microsoft TechNet, Windows 2000 TCP/IP registry reference (cc938217): TcpTimedWaitDelay, default 0xF0 (240 s = 2×MSL of 120 s); the Windows Server 2003 reference (cc757512) gives 0x78 (120 s)' },
  dataRetries: { value: 5, source: 'Microsoft Learn, Windows Server 2003: TcpMaxDataRetransmissions, default 0x5' },
  stated: {
    keepAliveIdle: { value: 7200, source: 'Microsoft TechNet, Windows 2000 TCP/IP registry reference: KeepAliveTime, default 7,200,000 ms (two hours)' },
    keepAliveInterval: { value: 1, source: 'Microsoft TechNet, Windows 2000 TCP/IP registry reference: KeepAliveInterval, default 1000 ms' },
    keepAliveProbes: { value: 10, source: 'Microsoft Learn, SIO_KEEPALIVE_VALS: on Windows Vista and later the number of keep-alive probes is 10 and cannot be changed' },
  },
  unsourced: ['initialRto', 'maxRto', 'synRetries', 'synLinearRetries', 'synAckRetries', 'invalidAckInterval', 'finWait2Timeout'],
};

/** macOS, from the XNU kernel's source (apple-oss-distributions/xnu, bsd/netinet/tcp_timer.h). */
const MACOS: Profile = {
  ...RFC,
  name: 'macos',
  label: 'macOS',
  timeWait: { value: 30, source: 'xnu bsd/netinet/tcp_timer.h: TCPTV_MSL (15*TCP_RETRANSHZ), TIME_WAIT is 2×MSL' },
  initialRto: { value: 1, source: 'xnu bsd/netinet/tcp_timer.h: TCPTV_RTOBASE (1*TCP_RETRANSHZ)' },
  maxRto: { value: 64, source: 'xnu bsd/netinet/tcp_timer.h: TCPTV_REXMTMAX (64*TCP_RETRANSHZ)' },
  dataRetries: { value: 12, source: 'xnu bsd/netinet/tcp_timer.h: TCP_MAXRXTSHIFT 12' },
  connectTimeout: { value: 75, source: 'xnu bsd/netinet/tcp_timer.h: TCPTV_KEEP_INIT (75*TCP_RETRANSHZ), "connect keep alive"' },
  stated: {
    keepAliveIdle: { value: 7200, source: 'xnu bsd/netinet/tcp_timer.h: TCPTV_KEEP_IDLE (120*60*TCP_RETRANSHZ)' },
    keepAliveInterval: { value: 75, source: 'xnu bsd/netinet/tcp_timer.h: TCPTV_KEEPINTVL (75*TCP_RETRANSHZ)' },
    keepAliveProbes: { value: 8, source: 'xnu bsd/netinet/tcp_timer.h: TCPTV_KEEPCNT 8' },
  },
  unsourced: ['synRetries', 'synLinearRetries', 'synAckRetries', 'invalidAckInterval', 'finWait2Timeout'],
};

export const PROFILES: Readonly<Record<ProfileName, Profile>> = { rfc: RFC, linux: LINUX, windows: WINDOWS, macos: MACOS };

export function isProfileName(text: string): text is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(text);
}

/** The RFC profile with another MSL (the `msl` setting), as the simulator played it before profiles. */
export function rfcWithMsl(msl: number): Profile {
  return msl === RFC.timeWait.value / 2 ? RFC : { ...RFC, timeWait: { value: 2 * msl, source: `2×MSL, with MSL set to ${msl} s` } };
}

/** The reason of a TIME_WAIT timer's end under a profile other than the RFC's (whose is "2×MSL timer expired"). */
export const TIME_WAIT_OVER = 'TIME_WAIT timer expired';

/**
 * The reason an endpoint entered TIME_WAIT, saying how long it lasts where that is a profile's own rather than 2×MSL
 * (the diagram's note reads it back with timeWaitOf).
 */
export function timeWaitReason(reason: string, profile: Profile): string {
  return profile.name === 'rfc' ? reason : `${reason}; ${profile.label} holds TIME_WAIT ${profile.timeWait.value} s`;
}

/** Whose TIME_WAIT and how long, if the reason says it (see timeWaitReason). */
export function timeWaitOf(reason: string): { profile: string; seconds: number } | undefined {
  const m = /; (.+) holds TIME_WAIT (\d+(?:\.\d+)?) s$/.exec(reason);
  return m ? { profile: m[1]!, seconds: Number(m[2]) } : undefined;
}
