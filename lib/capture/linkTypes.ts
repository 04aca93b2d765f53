/** LINKTYPE_* values (tcpdump.org/linktypes.html) that NetGuard decodes. */
export const LinkType = {
  NULL: 0,
  EN10MB: 1,
  RAW: 101,
  /** Some BSD-derived writers store DLT_RAW's platform value instead of LINKTYPE_RAW. */
  RAW_BSD12: 12,
  RAW_BSD14: 14,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

export type LinkTypeValue = (typeof LinkType)[keyof typeof LinkType];

const supported: ReadonlySet<number> = new Set(Object.values(LinkType));

export function isSupportedLinkType(linkType: number): boolean {
  return supported.has(linkType);
}
