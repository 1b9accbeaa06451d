import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum WidgetModeEnum {
  live_chat = 'live_chat',
  messaging = 'messaging',
}
export enum WidgetPositionEnum {
  left = 'left',
  right = 'right',
}
export enum WidgetLocaleEnum {
  auto = 'auto',
  en = 'en',
  ko = 'ko',
}
export enum PreChatFieldTypeEnum {
  text = 'text',
  number = 'number',
  select = 'select',
  checkbox = 'checkbox',
}
export enum BlockKindEnum {
  visitor = 'visitor',
  email = 'email',
  ip = 'ip',
}
export enum RuleAudienceEnum {
  all = 'all',
  identified = 'identified',
  anonymous = 'anonymous',
}
registerEnumType(WidgetModeEnum, {
  name: 'WidgetMode',
  description: 'live_chat: each visit is a session that ends; messaging: one history that persists.',
});
registerEnumType(WidgetPositionEnum, { name: 'WidgetPosition' });
registerEnumType(WidgetLocaleEnum, { name: 'WidgetLocale', description: 'auto follows the browser language.' });
registerEnumType(PreChatFieldTypeEnum, {
  name: 'PreChatFieldType',
  description: 'The input of a custom pre-chat field.',
});
registerEnumType(BlockKindEnum, { name: 'WidgetBlockKind' });
registerEnumType(RuleAudienceEnum, { name: 'ProactiveAudience' });

@ObjectType('PreChatField', {
  description: 'A question of the pre-chat form: built in (name, email, phone) or custom.',
})
export class PreChatFieldDto {
  @Field({ description: 'name, email, phone, or custom:<slug> for a custom field.' }) key: string;
  @Field() label: string;
  @Field({ description: 'For visitors reading Korean; empty uses label.' }) labelKo: string;
  @Field(() => PreChatFieldTypeEnum, { nullable: true, description: 'Custom fields only; null for built-in fields.' })
  type: PreChatFieldTypeEnum | null;
  @Field(() => [String], { description: 'Select fields: the choices, in order; empty otherwise.' }) options: string[];
  @Field() required: boolean;
}

@ObjectType('PreChatAnswer', {
  description: 'A visitor’s answer to a custom pre-chat field, with its labels as asked.',
})
export class PreChatAnswerDto {
  @Field() key: string;
  @Field() label: string;
  @Field() labelKo: string;
  @Field(() => PreChatFieldTypeEnum) type: PreChatFieldTypeEnum;
  @Field({ description: 'The answer as text: checkbox "true", numbers in decimal.' }) value: string;
}

@ObjectType('OpeningInterval', { description: 'day: 0 = Sunday … 6 = Saturday; times are HH:MM in the timezone.' })
export class OpeningIntervalDto {
  @Field(() => Int) day: number;
  @Field() open: string;
  @Field() close: string;
}

@ObjectType('Holiday')
export class HolidayDto {
  @Field({ description: 'YYYY-MM-DD' }) date: string;
  @Field() name: string;
}

@ObjectType('BusinessHours', { description: 'A weekly schedule with holidays, reusable by widgets and automations.' })
export class BusinessHoursDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() timezone: string;
  @Field(() => [OpeningIntervalDto]) weekly: OpeningIntervalDto[];
  @Field(() => [HolidayDto]) holidays: HolidayDto[];
  @Field() isOpenNow: boolean;
  @Field(() => Date, { nullable: true }) nextOpeningAt: Date | null;
}

@ObjectType('WidgetPreview', { description: 'What the widget will look like, for the settings page.' })
export class WidgetPreviewDto {
  @Field({ description: 'Text colour on the accent colour (#ffffff or #111827), chosen for WCAG AA contrast.' })
  onColor: string;
  @Field({ description: 'Contrast ratio of onColor on the accent colour.' }) contrast: number;
  @Field() launcherLabelEn: string;
  @Field() launcherLabelKo: string;
  @Field() greeting: string;
  @Field() previewUrl: string;
}

@ObjectType('Widget', { description: 'A web chat widget: how it looks, live chat or messaging, and its rules.' })
export class WidgetDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => WidgetModeEnum) mode: WidgetModeEnum;
  @Field() color: string;
  @Field(() => String, { nullable: true }) logoUrl: string | null;
  @Field(() => WidgetPositionEnum) position: WidgetPositionEnum;
  @Field() launcherText: string;
  @Field() greeting: string;
  @Field({ description: 'For visitors reading Korean; empty uses greeting.' }) greetingKo: string;
  @Field(() => [PreChatFieldDto]) preChatFields: PreChatFieldDto[];
  @Field(() => WidgetLocaleEnum) locale: WidgetLocaleEnum;
  @Field({ description: 'Anonymous visitors are refused; the site must call identify with a signed JWT.' })
  requireIdentified: boolean;
  @Field(() => ID, { nullable: true }) businessHoursId: string | null;
  @Field(() => ID, { nullable: true }) groupId: string | null;
  @Field(() => Int) unreadEmailDelaySeconds: number;
  @Field(() => Int) inactivityMinutes: number;
  @Field(() => [String], { description: 'Origins allowed to embed the widget; empty allows any.' })
  allowedOrigins: string[];
  @Field() isActive: boolean;
  @Field({ description: 'The <script> to paste before </body>.' }) embedSnippet: string;
  @Field(() => WidgetPreviewDto) preview: WidgetPreviewDto;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType('WidgetWithSecret')
export class WidgetWithSecretDto {
  @Field(() => WidgetDto) widget: WidgetDto;
  @Field({ description: 'HS256 secret for identity JWTs. Shown only now; keep it on your server.' })
  identitySecret: string;
}

@ObjectType('ProactiveRule')
export class ProactiveRuleDto {
  @Field(() => ID) id: string;
  @Field(() => ID) widgetId: string;
  @Field() name: string;
  @Field() message: string;
  @Field(() => String, { nullable: true, description: 'Glob on the page URL: * matches anything.' })
  urlPattern: string | null;
  @Field(() => Int, { nullable: true }) minSecondsOnPage: number | null;
  @Field(() => Int, { nullable: true }) minVisitCount: number | null;
  @Field(() => RuleAudienceEnum) audience: RuleAudienceEnum;
  @Field() isActive: boolean;
}

@ObjectType('WidgetBlock')
export class WidgetBlockDto {
  @Field(() => ID) id: string;
  @Field(() => ID, { nullable: true, description: 'null: blocked on every widget.' }) widgetId: string | null;
  @Field(() => BlockKindEnum) kind: BlockKindEnum;
  @Field() value: string;
  @Field() reason: string;
  @Field() createdAt: Date;
}
