import { ipv4Text, ipv6Text } from './address';

/**
 * The layers a TCP segment was found inside (a VLAN tag, PPPoE, a tunnel's outer IP header, GRE, VXLAN, …), outermost
 * first, kept as numbers while a record is decoded: most segments are in none, and a capture of tunnelled traffic
 * repeats the same few stacks, so their text is made only when the stack changes.
 */
export const LAYER = {
  vlan: 1, pppoe: 2, ppp: 3, multilinkPpp: 4, mpls: 5, ipv4: 6, ipv6: 7, gre: 8, erspan: 9, vxlan: 10, geneve: 11,
  gtpU: 12, l2tp: 13, ayiya: 14, etherIp: 15, ethernet: 16, wlan: 17, wccp: 18,
} as const;

type LayerKind = (typeof LAYER)[keyof typeof LAYER];

/** Past this many layers a stack is not followed further: a record cannot make the decoder walk without end. */
export const MOST_LAYERS = 12;

export class LayerStack {
  /** kind, value pairs. For IP layers, the value is where the addresses were copied into `addresses`. */
  readonly items = new Float64Array(2 * MOST_LAYERS);
  count = 0;
  readonly addresses = new Uint8Array(32 * MOST_LAYERS);
  private addressesUsed = 0;
  private lastKey = '';
  private lastText: string | undefined;

  clear(): void {
    this.count = 0;
    this.addressesUsed = 0;
  }

  /** Adds a layer; false when the stack is full (the record is then not followed deeper). */
  push(kind: LayerKind, value = 0): boolean {
    if (this.count === MOST_LAYERS) return false;
    this.items[2 * this.count] = kind;
    this.items[2 * this.count + 1] = value;
    this.count++;
    return true;
  }

  /** Adds an IP layer with its source and destination addresses (4 or 16 bytes each, at `srcAt` and `dstAt`). */
  pushIp(version: 4 | 6, bytes: Uint8Array, srcAt: number, dstAt: number): boolean {
    const length = version === 4 ? 4 : 16;
    if (!this.push(version === 4 ? LAYER.ipv4 : LAYER.ipv6, this.addressesUsed)) return false;
    this.addresses.set(bytes.subarray(srcAt, srcAt + length), this.addressesUsed);
    this.addresses.set(bytes.subarray(dstAt, dstAt + length), this.addressesUsed + length);
    this.addressesUsed += 2 * length;
    return true;
  }

  /**
   * The stack in words ("VLAN 100 / IPv4 192.0.2.1 > 192.0.2.2 / GRE / Ethernet"), or undefined when empty. The same
   * stack as the last call's gives the same string object, so segments share it.
   */
  text(): string | undefined {
    if (this.count === 0) return undefined;
    let key = '';
    for (let i = 0; i < 2 * this.count; i++) key += `${this.items[i]},`;
    for (let i = 0; i < this.addressesUsed; i++) key += `${this.addresses[i]}.`;
    if (key === this.lastKey) return this.lastText;
    const parts: string[] = [];
    for (let i = 0; i < this.count; i++) parts.push(this.layerText(this.items[2 * i] as LayerKind, this.items[2 * i + 1]!));
    this.lastKey = key;
    this.lastText = parts.join(' / ');
    return this.lastText;
  }

  private layerText(kind: LayerKind, value: number): string {
    const hex = (n: number, digits: number) => `0x${n.toString(16).padStart(digits, '0')}`;
    switch (kind) {
      case LAYER.vlan: return `VLAN ${value}`;
      case LAYER.pppoe: return `PPPoE session ${hex(value, 4)}`;
      case LAYER.ppp: return 'PPP';
      case LAYER.multilinkPpp: return 'Multilink PPP';
      case LAYER.mpls: return `MPLS label ${value}`;
      case LAYER.ipv4: return `IPv4 ${ipv4Text(this.addresses, value)} > ${ipv4Text(this.addresses, value + 4)}`;
      case LAYER.ipv6: return `IPv6 ${ipv6Text(this.addresses, value)} > ${ipv6Text(this.addresses, value + 16)}`;
      case LAYER.gre: return value >= 0 ? `GRE key ${value}` : 'GRE';
      case LAYER.erspan: return value >= 0 ? `ERSPAN session ${value}` : 'ERSPAN';
      case LAYER.vxlan: return `VXLAN VNI ${value}`;
      case LAYER.geneve: return `Geneve VNI ${value}`;
      case LAYER.gtpU: return `GTP-U TEID ${hex(value, 8)}`;
      case LAYER.l2tp: return `L2TP tunnel ${Math.floor(value / 65536)} session ${value % 65536}`;
      case LAYER.ayiya: return 'AYIYA';
      case LAYER.etherIp: return 'EtherIP';
      case LAYER.ethernet: return 'Ethernet';
      case LAYER.wlan: return '802.11';
      case LAYER.wccp: return 'WCCP';
    }
  }
}
