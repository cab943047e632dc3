import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  type CooperationNoticeJson,
  NoticeKindSchema,
  type NoticeKindJson,
} from '../gen/puente/cooperation/v1/notice_pb';
import { enumNames, IsCalendarDate } from '../validation/validators';

export class CooperationNoticeDto implements CooperationNoticeJson {
  @IsIn(enumNames(NoticeKindSchema)) kind!: NoticeKindJson;
  @IsString() @IsNotEmpty() @MaxLength(200) title!: string;
  @IsString() @IsNotEmpty() @MaxLength(20_000) body!: string;
  @IsOptional() @IsCalendarDate() effectiveDate?: string;
}
