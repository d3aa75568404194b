/**
 * Where decoding a record has got to: what comes next (`kind`, with a `value` such as an ethertype) and where it starts.
 * One object serves every record; each step of the decoder moves it on, so the hot path allocates nothing.
 */
export interface Walk {
  kind: number;
  value: number;
  at: number;
  /** For STEP.unread: what was found that is not read, in words (counted by it in the decode statistics). */
  reason: string;
  /** Where a tunnel's header says what it carries ends (UDP's and L2TP's length fields), if before its datagram's end. */
  limit: number;
  /** The direction byte of a link header that has one (PPP and Cisco HDLC "with direction"), plus one; 0 where none. */
  direction: number;
}

export const STEP = {
  ethernet: 1, ethertype: 2, ppp: 3, pppProtocol: 4, llc: 5, wlan: 6, mpls: 7, ciscoHdlc: 8, pppoe: 9, multilinkFragment: 13,
  ipv4: 10, ipv6: 11, ip: 12,
  /** Ends: the record holds something other than IP, something not read, or is cut short. */
  nonIp: 20, unread: 21, malformed: 22,
} as const;

/** Moves the walk on to `kind` at `at` (with a `value` such as an ethertype). True, so a step can `return go(…)`. */
export function go(walk: Walk, kind: number, at: number, value = 0): true {
  walk.kind = kind;
  walk.at = at;
  walk.value = value;
  return true;
}

export function newWalk(): Walk {
  return { kind: 0, value: 0, at: 0, reason: '', limit: Infinity, direction: 0 };
}

/**
 * What was found that is not read, in the fixed words the decode statistics count it by (the extension translates
 * them, so each is one phrase, not a template).
 */
export const UNREAD = {
  tooManyLayers: 'too many layers',
  multilinkFragments: 'multilink PPP fragments never put together',
  vanJacobson: 'Van Jacobson compressed TCP/IP',
  pppCompressed: 'PPP compressed datagrams',
  encryptedWlan: 'encrypted 802.11 frames',
  aggregatedWlan: '802.11 A-MSDUs',
  greRouting: 'GRE with source routes',
  greVersion: 'GRE of a version other than 0 or 1',
  gtpVersion: 'GTP of a version other than 1',
  l2tpVersion: 'L2TP of a version other than 2',
  ppiLinkType: 'PPI around a link type other than Ethernet or 802.11',
  juniperNoL2: 'Juniper frames without their link-layer header',
} as const;
